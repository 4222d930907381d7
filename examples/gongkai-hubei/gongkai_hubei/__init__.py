"""gongkai-hubei: an example gongkai plugin for reports from Hubei (湖北).

One plugin, three contributions, each of a kind a regional plugin typically has:

* a **Python variant** (:mod:`gongkai_hubei.wuhan`): the 2019 template's proactive table with the
  extra row 其他主动公开文件 that Hubei reports add, as in the 武汉市生态环境局 2020 report;
* a **TOML variant** (``headings.toml``): section headings in an older wording and footnote
  marks in table labels, declared without code;
* a **writer** (:mod:`gongkai_hubei.writer`): ``--to tsv-zh``, the cells with Chinese labels.

gongkai finds the plugin through the ``gongkai`` entry point in pyproject.toml; each hook below
hands its contributions to gongkai through ``register``.
"""

from gongkai.plugin import hookimpl, load_variant_resource

from . import writer, wuhan

__version__ = "0.1.0"

#: The declarative variant shipped in this package (read once, when the plugin is loaded).
HEADINGS = load_variant_resource(__name__, "headings.toml")


@hookimpl
def gongkai_add_layouts(register):
    for layout in wuhan.layouts():
        register(layout)
    HEADINGS.register_layouts(register)


@hookimpl
def gongkai_add_normalizers(register):
    HEADINGS.register_normalizers(register)


@hookimpl
def gongkai_add_writers(register):
    register(writer.TSV_ZH)
