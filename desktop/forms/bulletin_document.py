"""The bulletin (月通报, 周调度表) as a document an office sends: the title block, the numbered
sections with their lead sentences and tables, and the chart of output by county."""

from __future__ import annotations

from datetime import date

from desktop.forms.document import (
    BarChart,
    Block,
    Document,
    Grid,
    GridColumn,
    Line,
    Paragraph,
    Title,
    numbered_heading,
)
from desktop.taskforce.bulletin import Bulletin
from desktop.taskforce.bulletin_tables import (
    Table,
    bulletin_tables,
    bulletin_title,
    bulletin_unit,
    cell_text,
    day_text,
    wan,
)

OUTPUT_TABLE = 2  # the chart follows the output table
SERIES = ("本期", "上年同期")


def issuer(bulletin: Bulletin) -> str:
    """Who sends it: 忻府区工业企业复工复产工作专班."""
    return f"{bulletin_unit(bulletin)}工业企业复工复产工作专班"


def bulletin_document(bulletin: Bulletin, on: date) -> Document:
    """The bulletin as printed on day ``on``."""
    title = bulletin_title(bulletin)
    blocks: list[Block] = [Title(title), Line(f"{issuer(bulletin)}　　{day_text(on)}", "center")]
    for number, table in enumerate(bulletin_tables(bulletin)):
        blocks += [numbered_heading(number + 1, table.name), Paragraph(table.lead)]
        if table.rows:
            blocks.append(table_grid(table))
        if number == OUTPUT_TABLE:
            blocks.append(output_chart(bulletin))
    return Document(title, tuple(blocks), numbered=True)


def table_grid(table: Table) -> Grid:
    """A bulletin table as printed: text left, figures right."""
    columns = tuple(
        GridColumn(c.header, c.width, "left" if c.kind == "text" else "right")
        for c in table.columns
    )
    rows = tuple(
        tuple(cell_text(v, c.kind) for c, v in zip(table.columns, row, strict=True))
        for row in table.rows
    )
    return Grid(columns, rows)


def output_chart(bulletin: Bulletin) -> BarChart:
    """Each county's output against the same enterprises' a year before, in 万元."""
    groups = tuple((u.unit, (wan(u.output), wan(u.output_year_before))) for u in bulletin.units)
    return BarChart("图1　各县（市、区）报送企业本期产值与上年同期对比", "万元", SERIES, groups)
