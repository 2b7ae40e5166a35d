"""What a form says, before painting."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop.forms import blank_form, form_for
from desktop.forms.layout import OPINIONS, form_rows
from desktop.rules.result import Verdict
from tests.forms.conftest import make_applicant, make_result


def test_filled_form_carries_facts_amount_and_capitals() -> None:
    result = make_result(1)
    form = form_for(result, make_applicant(result))
    assert form.title == "“白名单”企业市级配套奖励申请表"
    assert "忻政办发〔2022〕86号" in form.basis and form.basis.endswith("第十二条")
    assert form.facts == (("2023年1月产值（元）", "3,000,000.00"), ("最高同比增速", "52.00%"))
    assert (form.amount, form.capitals) == ("¥250,000.00 元", "人民币贰拾伍万元整")
    assert "待省级奖励确认" in form.note


def test_only_eligible_results_get_a_form() -> None:
    result = replace(make_result(1), verdict=Verdict.INCOMPLETE, amount=None)
    with pytest.raises(ValueError, match="不符合第十二条"):
        form_for(result, make_applicant(result))


def test_every_box_the_office_needs_is_laid_out() -> None:
    result = make_result(1)
    texts = [box.text for row in form_rows(form_for(result, make_applicant(result))) for box in row]
    for label in (
        "企业名称",
        "统一社会信用代码",
        "法定代表人",
        "注册地址",  # the schema's label (was 企业地址 before the forms read it there)
        "联系人",
        "联系电话",
        "开户银行",
        "银行账号",
        "政策依据",
        "测算过程",
        "申请金额（小写）",
        "申请金额（大写）",
        "企业（盖章）：",
        "法定代表人（签字）：",
        "日期：",
        *OPINIONS,
    ):
        assert label in texts  # fmt: skip
    assert any(t.startswith("本企业郑重承诺") for t in texts)


def test_blank_form_leaves_the_figures_to_the_pen() -> None:
    form = blank_form("13")
    assert form.title == "重点产业链链主企业奖励申请表"
    assert (form.applicant.name, form.facts, form.amount, form.capitals) == ("", (), "¥", "人民币")


def test_an_expected_amount_carries_its_condition_in_figures_and_capitals() -> None:
    expected, final = make_result(1), replace(make_result(2), expected=False)
    texts = {}
    for result in (expected, final):
        rows = form_rows(form_for(result, make_applicant(result)))
        texts[result.expected] = [box.text for row in rows for box in row]
    assert "¥250,000.00 元（预计，待省级确认）" in texts[True]
    assert "人民币贰拾伍万元整（预计，待省级确认）" in texts[True]
    assert "¥250,000.00 元" in texts[False] and "人民币贰拾伍万元整" in texts[False]
    assert not any("预计" in text for text in texts[False])


def test_the_computation_box_holds_every_line_numbered() -> None:
    result = make_result(1, lines=30)
    form = form_for(result, make_applicant(result))
    (box,) = [box for row in form_rows(form) for box in row if box.computation]
    assert box.text.split("\n") == [
        *(f"{n + 1}. {line}" for n, line in enumerate(result.explanation)),
        form.note,
    ]


def test_the_form_of_a_case_carries_its_number_and_another_has_no_such_box() -> None:
    result = make_result(1)
    of_case = form_rows(form_for(result, make_applicant(result), "12-2023Q1-0007"))
    texts = [[box.text for box in row] for row in of_case]
    assert ["兑现事项编号", "12-2023Q1-0007"] in texts
    plain = form_rows(form_for(result, make_applicant(result)))
    assert all(box.text != "兑现事项编号" for row in plain for box in row)
    assert len(of_case) == len(plain) + 1
