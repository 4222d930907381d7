"""The Python variant: Hubei's extra row in the 2019 template's proactive table.

Hubei reports (the 武汉市生态环境局 2020 report is the example in tests/data) add a row
其他主动公开文件 ("other proactively disclosed documents") after 规范性文件 in item (一) of the
proactive table, with the same three columns. The row is not one of gongkai's codes, so it gets
a code of its own, ``other_documents``; its cells come out as
``proactive/other_documents/new_made`` and so on.

The same could be written as a TOML variant (docs/variants.md); this one is Python to show
building a layout in code: the row takes its columns from the built-in layout's 规范性文件 row
instead of repeating them.
"""

from __future__ import annotations

from gongkai.plugin import AddRow, Layout, builtin_layouts, extend_layout

#: The code of the extra row (lower case, unique in the table).
OTHER_DOCUMENTS = "other_documents"


def layouts() -> list[Layout]:
    base = builtin_layouts()["proactive-2019"]
    normative = base.row("normative_documents")
    assert normative is not None  # part of the 2019 template
    other = AddRow(
        code=OTHER_DOCUMENTS,
        zh="其他主动公开文件",
        en="Other proactively disclosed documents",
        columns=normative.columns,
        # Mirrors that convert vocabulary write 檔案 for 文件: 档案 after script conversion.
        aliases=["其他主动公开档案"],
        after="normative_documents",
    )
    return [
        extend_layout(
            base,
            name="proactive-2019.hubei",
            add_rows=[other],
            description="2019 template, Hubei: 其他主动公开文件 after 规范性文件",
        )
    ]
