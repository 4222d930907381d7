"""Deriving a layout from another: the rows a region adds or leaves out, and its aliases.

What a variant's ``[[layout]]`` with ``extends`` does, and what a Python plugin calls to build
a regional layout in code (docs/variants.md, "From Python").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from gongkai.engine.plugin_types import check_name
from gongkai.errors import ConfigError
from gongkai.layouts.codes import load_codes
from gongkai.layouts.layout import ExtraRow, Layout, RowLayout


@attrs.frozen
class AddRow:
    """A row a region adds to a table: its own code (not one of gongkai's), labels, columns."""

    code: str
    zh: str
    #: The columns it carries, codes of the table's columns.
    columns: tuple[str, ...] = attrs.field(converter=tuple)
    en: str = ""
    #: Other labels reports write it with (``zh`` is always one).
    aliases: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    #: The code of the row it follows; None: after the last row.
    after: str | None = None

    def extra_row(self) -> ExtraRow:
        return ExtraRow(code=self.code, zh=self.zh, en=self.en,
                        aliases=tuple(dict.fromkeys((self.zh, *self.aliases))))


def extend_layout(
    base: Layout,
    *,
    name: str,
    add_rows: Iterable[AddRow] = (),
    remove_rows: Iterable[str] = (),
    aliases: Mapping[str, Sequence[str]] | None = None,
    priority: int | None = None,
    description: str | None = None,
) -> Layout:
    """A copy of ``base`` with a region's changes.

    :param base: the layout to start from (``builtin_layouts()["proactive-2019"]``, or one of
        the plugin's own).
    :param add_rows: rows the region adds, each with its own code.
    :param remove_rows: codes of rows the region leaves out.
    :param aliases: more labels for codes of the table: ``{code: [label, ...]}``.
    :param priority: default ``base.priority - 1``, so the base wins when both fit a table
        equally well, and the variant only when the table has its extra rows.
    Raises ConfigError when a code does not exist.
    """
    removed = set(remove_rows)
    for code in removed:
        if base.row(code) is None:
            raise ConfigError(f"layout {base.name!r} has no row {code!r} to remove")
    rows = [r for r in base.rows if r.code not in removed]
    table = load_codes().table(base.table)
    new_extra = []
    codes = {r.code for r in rows}
    for add in add_rows:
        check_name("row", add.code)
        if table.has_row(add.code) or add.code in codes:
            raise ConfigError(f"extra row {add.code!r} is already a row of table "
                              f"{base.table!r}; give that row an alias instead")
        row = RowLayout(add.code, add.columns)
        if add.after is None:
            rows.append(row)
        else:
            index = next((i for i, r in enumerate(rows) if r.code == add.after), None)
            if index is None:
                raise ConfigError(f"extra row {add.code!r}: no row {add.after!r} to put it "
                                  "after")
            rows.insert(index + 1, row)
        codes.add(add.code)
        new_extra.append(add.extra_row())
    layout = attrs.evolve(
        base,
        name=name,
        rows=tuple(rows),
        aliases=base.aliases + tuple((c, tuple(a)) for c, a in (aliases or {}).items()),
        extra_rows=base.extra_rows + tuple(new_extra),
        priority=base.priority - 1 if priority is None else priority,
        description=base.description if description is None else description,
    )
    layout.validate()
    return layout
