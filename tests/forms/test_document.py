"""Documents of blocks: the label–value form tables and the section numbers."""

from __future__ import annotations

from desktop.forms.document import SPAN, field_grid, numbered_heading


def test_field_grid_pairs_two_a_row_a_long_value_alone() -> None:
    long = "甲" * 17
    grid = field_grid([("名称", "甲公司"), ("代码", "9114"), ("描述", long), ("县", "忻府区")])
    assert grid.rows == (
        ("名称", "甲公司", "代码", "9114"),
        ("描述", long, SPAN, SPAN),  # the value takes the row
        ("县", "忻府区", SPAN, SPAN),  # the last pair alone widens its value
    )
    assert (grid.header, grid.labels) == (False, frozenset({0, 2}))


def test_sections_are_numbered_in_chinese() -> None:
    assert [numbered_heading(n, "节").text for n in (1, 6, 10)] == ["一、节", "六、节", "十、节"]
