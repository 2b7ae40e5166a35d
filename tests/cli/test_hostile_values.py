"""Hostile values on the command line: each is one line on standard error and exit 2 (never a
traceback), naming the value and the allowed range; names are printed without their control
characters' effects, JSON keeps them exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main
from tests.cli.test_values_cli import _code, _csv

HUGE = "99999999999999999999"
ESCAPED = "甲\x1b[31m公司\x1b[0m"


def _refusal(capsys: pytest.CaptureFixture[str], db_target: str, *argv: str) -> str:
    assert main(["--db", db_target, *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    (line,) = captured.err.splitlines()
    return line


@pytest.mark.parametrize(
    ("setting", "words"),
    [("12.city_match_ratio=1e999",
      "「市级配套比例」的值「1e999」超出范围：比率应在0到10之间（即0%到1000%）"),
     ("12.city_match_ratio=1e30",
      "「市级配套比例」的值「1e30」超出范围：比率应在0到10之间（即0%到1000%）"),
     ("12.low_tier_award=1e30",
      "「省级低档奖励金额」的值「1e30」超出范围：金额过大（应小于1000万亿元），请检查数值和单位"),
     ("12.low_tier_award=-500000", "「省级低档奖励金额」的值「-500000」超出范围：不能为负数"),
     ("12.window_start=9999-01",
      "「增幅考核起始月份」的值「9999-01」超出范围：年份应在1990到2100之间"),
     ("12.window_start=2023-06",
      "「增幅考核截止月份」（2023-03）早于「增幅考核起始月份」（2023-06）"),
     ("11.waiver_year=1800", "「租金减免年度」的值「1800」超出范围：年份应在1990到2100之间"),
     ("11.max_waived_months=1e19",
      "「租金减免月数上限」的值「1e19」超出范围：数值过大（应为0到10亿之间的整数）")],
)  # fmt: skip
def test_evaluate_refuses_a_what_if_value_out_of_range(
    db_target: str, capsys: pytest.CaptureFixture[str], setting: str, words: str
) -> None:
    assert _refusal(capsys, db_target, "evaluate", "--set", setting) == words


@pytest.mark.parametrize(
    ("argv", "words"),
    [(["employment", "--people", "1e30", "--per_person", "1000"],
      "吸纳人数「1e30」：数值过大（应为0到10亿之间的整数）"),
     (["acceptance", "--kind", "煤矿", "--cause", "疫情", "--days", HUGE],
      f"停产天数「{HUGE}」：数值过大（应为0到10亿之间的整数）"),
     (["guarantee", "--principal", "1e14", "--rate", "1e999", "--date", "2023-01-01"],
      "标准担保费率（如 0.015 或 1.5%）「1e999」：比率应在0到10之间（即0%到1000%）"),
     (["licence", "--expiry", "9999-12-31"], "证照到期日「9999-12-31」：年份应在1990到2100之间")],
)  # fmt: skip
def test_calc_refuses_huge_arguments(
    db_target: str, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    assert _refusal(capsys, db_target, "calc", *argv) == words


@pytest.mark.parametrize(
    ("argv", "words"),
    [(["log", "--limit", HUGE],
      f"参数错误：argument --limit: 「{HUGE}」数值过大（应为0到10亿之间的整数）"),
     (["log", "--limit", "0"], "参数错误：argument --limit: 「0」应为正整数"),
     (["undo-import", HUGE],
      f"参数错误：argument batch: 「{HUGE}」数值过大（应为0到10亿之间的整数）")],
)  # fmt: skip
def test_huge_counts_are_refused_as_arguments(
    db_target: str, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    assert _refusal(capsys, db_target, *argv) == words


def test_a_name_with_escape_sequences_is_printed_escaped_and_kept_exact_in_json(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = _csv(tmp_path / "名录.csv", "企业名称,统一社会信用代码,所属县（市、区）,白名单企业",
                  f"{ESCAPED},{_code(1)},忻府区,是")  # fmt: skip
    assert main(["--db", db_target, "import", str(roster)]) == 0
    capsys.readouterr()
    main(["--db", db_target, "evaluate", "--measure", "12"])
    main(["--db", db_target, "log"])
    shown = capsys.readouterr().out
    assert "\x1b" not in shown
    assert shown.count("甲\\x1b[31m公司\\x1b[0m") == 2  # in evaluate's table and in the log
    main(["--db", db_target, "evaluate", "--measure", "12", "--json"])
    assert [r["name"] for r in json.loads(capsys.readouterr().out)] == [ESCAPED]


def test_a_40000_character_name_is_refused_on_import_naming_the_cell(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before, it was taken, and the xlsx export cut it to Excel's 32,767 characters."""
    roster = _csv(tmp_path / "名录.csv", "企业名称,统一社会信用代码,所属县（市、区）",
                  f"{'长' * 40000},{_code(1)},忻府区", f"乙公司,{_code(2)},忻府区")  # fmt: skip
    assert main(["--db", db_target, "import", str(roster), "--json"]) == 1
    (sheet,) = json.loads(capsys.readouterr().out)["files"][0]["sheets"]
    assert sheet["created"] == 1
    (rejected,) = sheet["rejected"]
    assert (rejected["row"], rejected["column"]) == (2, "企业名称")
    assert rejected["message"] == "文字过长（40,000 个字符），最多 2,000 个字符"
    assert len(rejected["value"]) < 100  # the report quotes the cell, it does not copy it


def test_a_refusal_naming_a_hostile_file_name_is_printed_escaped(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every line a command prints passes the escaping, the error line and file names too."""
    missing = tmp_path / f"{ESCAPED}.xlsx"
    assert main(["--db", db_target, "import", str(missing)]) == 2
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err
    assert "甲\\x1b[31m公司\\x1b[0m.xlsx" in captured.out
    assert "甲\\x1b[31m公司\\x1b[0m.xlsx" in captured.err


def test_json_passes_the_terminal_escaping_untouched(
    tmp_path: Path, db_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """json.dumps leaves C1 controls and bidi overrides raw: only the text lines escape them."""
    name = "甲\u202e司公\u0085乙"
    roster = _csv(tmp_path / "名录.csv", "企业名称,统一社会信用代码,所属县（市、区）,白名单企业",
                  f"{name},{_code(1)},忻府区,是")  # fmt: skip
    assert main(["--db", db_target, "import", str(roster)]) == 0
    capsys.readouterr()
    main(["--db", db_target, "evaluate", "--measure", "12", "--json"])
    assert [r["name"] for r in json.loads(capsys.readouterr().out)] == [name]
    main(["--db", db_target, "evaluate", "--measure", "12"])
    assert "甲\\u202e司公\\x85乙" in capsys.readouterr().out
