"""The 2021 template's table layouts: data in layouts/template_2021.toml."""

from gongkai.plugin import (
    hookimpl,
    layouts_from_package,
)


@hookimpl
def gongkai_add_layouts(register):
    for layout in layouts_from_package(__package__, "layouts/template_2021.toml"):
        register(layout)
