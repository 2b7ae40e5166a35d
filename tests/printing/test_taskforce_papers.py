"""The task force's papers as PDF on the fixture county: the bulletin (title, sections, tables,
chart), the policy cards and the supervision notices, read back with poppler."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.cases.opening import open_cases
from desktop.cli import main
from desktop.forms.document import BarChart, Document, Grid, GridColumn, Heading, Paragraph
from desktop.forms.notice import supervision_notices
from desktop.models import Assignment, Enterprise, Person, Problem, ServiceTeam, TeamMember
from desktop.printing.document_painter import nice_top
from desktop.printing.papers import write_documents, write_policy_cards
from desktop.rules.engine import evaluate_roster
from desktop.store import Database
from tests.cases.conftest import BASIS, PARAMETERS
from tests.conftest import cli_db
from tests.printing.conftest import pdf_pages, pdf_text
from tests.taskforce.conftest import FixtureCounty, code
from tests.taskforce.conftest import county as county  # the fixture

RADICALS = re.compile("[\u2e80-\u2fdf]")
TITLE = "忻州市工业企业复工复产运行情况通报（2023年3月）"


def run(county: FixtureCounty, *args: str) -> int:
    return main(["--db", cli_db(county.db), *args])


def fonts_embedded(path: Path) -> bool:
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    return bool(rows) and all(row.split()[-5] == "yes" for row in rows)


def flat(text: str) -> str:
    """pdftotext's text without the layout's spaces."""
    return re.sub(r"\s+", "", text)


def test_bulletin_pdf(county: FixtureCounty, tmp_path: Path, forms_qapp, capsys) -> None:
    out = tmp_path / "bulletin.pdf"
    assert run(county, "bulletin", "--period", "2023-03", "-o", str(out)) == 0
    assert "PDF 2 页" in capsys.readouterr().out
    assert pdf_pages(out) == 2
    assert fonts_embedded(out)
    text = pdf_text(out)
    assert not RADICALS.search(text), RADICALS.findall(text)
    assert TITLE in text
    words = flat(text)
    for section in ("一、报送情况", "二、生产状态", "三、产值及增速", "四、产值降幅较大企业",
                    "五、问题办理", "六、走访服务", "图1"):  # fmt: skip
        assert section in words
    # the hand-worked figures (golden/README.md): output 2510 万元 against 2610 and 2335,
    # resumption 8/13, 化解率 2/8, coverage 3/7, the largest decliner 11 (−200 万元)
    for figure in ("合计13", "61.54%", "2,510.00", "2,610.00", "2,335.00", "-3.83%", "7.49%",
                   "25.00%", "42.86%", code(11), "第1页／共2页"):  # fmt: skip
        assert figure in words, figure
    assert "同比下降3.83%，环比增长7.49%" in words


def test_bulletin_pdf_of_one_county_titles_it(
    county: FixtureCounty, tmp_path: Path, forms_qapp
) -> None:
    out = tmp_path / "b.pdf"
    assert (
        run(county, "bulletin", "--period", "2023-W10", "--county", "原平市", "-o", str(out)) == 0
    )
    text = pdf_text(out)
    assert "原平市工业企业复工复产运行情况通报（2023年第10周）" in text
    assert "没有产值低于上年同期的企业" in flat(text)


def _assign_people(county: FixtureCounty) -> None:
    with county.db.session(source="command") as s:
        firm = s.query(Enterprise).filter_by(uscc=code(1)).one()
        a = s.query(Assignment).filter_by(enterprise_id=firm.id).one()
        assert a.leader is not None and a.team is not None
        a.leader.post, a.leader.phone = "副市长", "0350-1234567"
        member = Person(name="吴干事", kind="服务专员", phone="13900000000")
        s.add(TeamMember(team=a.team, person=member))
        a.commissioner = member
        s.add(ServiceTeam(name="空组"))


def test_policy_cards_one_page_each(
    county: FixtureCounty, tmp_path: Path, forms_qapp, capsys
) -> None:
    _assign_people(county)
    out = tmp_path / "cards.pdf"
    codes = [code(1), code(11), "91140902MA0XY9999X"]
    assert run(county, "policy-card", "--uscc", *codes, "-o", str(out)) == 1
    assert "91140902MA0XY9999X 不在企业名录中" in capsys.readouterr().err
    assert pdf_pages(out) == 2
    text = pdf_text(out)
    assert not RADICALS.search(text)
    first, second = (flat(page) for page in text.split("\f")[:2])
    people = ("赵市长（副市长）", "0350-1234567", "工信一组", "吴干事", "13900000000")
    for wanted in ("政策明白卡", "企业01", code(1), *people, "第十一条", "第十三条", "未立案"):
        assert wanted in first, wanted
    assert "企业11" in second and "未安排" in second  # 11 has no 包联


def test_policy_card_of_unknown_codes_only_is_refused(
    county: FixtureCounty, tmp_path: Path, forms_qapp, capsys
) -> None:
    out = tmp_path / "cards.pdf"
    assert run(county, "policy-card", "--uscc", "91140902MA0XY9999X", "-o", str(out)) == 2
    assert "不在企业名录中" in capsys.readouterr().err
    assert not out.exists()


def test_notices_one_page_per_red_problem(
    county: FixtureCounty, tmp_path: Path, forms_qapp, capsys
) -> None:
    out = tmp_path / "notices.pdf"
    assert run(county, "notices", "-o", str(out)) == 0
    # today is long after every deadline: P7, P2, P8, P5, P4, P10 are red, by deadline
    assert "督办单 6 份" in capsys.readouterr().out
    assert pdf_pages(out) == 6
    pages = [flat(p) for p in pdf_text(out).split("\f")[:6]]
    overdue = (date.today() - date(2023, 3, 15)).days
    first = pages[0]
    issuer = "定襄县工业企业复工复产工作专班"
    said = ("问题督办单", "企业12", code(12), "P7的问题", "工信局", "2023年3月15日")
    for wanted in (*said, f"已超期{overdue}天", "待交办", "办理情况反馈", issuer):
        assert wanted in first, wanted
    assert [p.count("问题督办单") for p in pages] == [1] * 6
    assert "企业21" in pages[-1]  # P10, due last


def test_a_notice_of_a_problem_not_yet_assigned_asks_to_assign_it(county: FixtureCounty) -> None:
    with county.db.session(source="command") as s:  # raised on a visit: no 主办单位 until 交办
        problem = s.get(Problem, county.problems["P7"])
        assert problem is not None and problem.state == "new"
        problem.lead_unit = ""
    with county.db.reader() as s:
        first = supervision_notices(s, date.today())[0]
    asked = [b.text for b in first.blocks if isinstance(b, Paragraph)]
    assert len(asked) == 1 and "请抓紧交办，确定主办单位和办理时限后办理，并将办理情况" in asked[0]
    assert "主办单位牵头" not in asked[0]
    cells = [c for b in first.blocks if isinstance(b, Grid) for row in b.rows for c in row]
    assert "未确定（尚未交办）" in cells


def test_no_red_problem_no_notices(
    county: FixtureCounty, tmp_path: Path, forms_qapp, capsys
) -> None:
    for label in ("P2", "P4", "P5", "P7", "P8", "P10"):
        with county.db.session(source="command") as s:
            problem = s.get(Problem, county.problems[label])
            assert problem is not None
            problem.deadline = date(2099, 1, 1)
    out = tmp_path / "n.pdf"
    assert run(county, "notices", "-o", str(out)) == 2
    assert "没有超期未办结的问题" in capsys.readouterr().err


def test_a_long_table_goes_on_over_pages_with_its_header(tmp_path: Path, forms_qapp) -> None:
    columns = (GridColumn("序号", 2), GridColumn("名称", 10))
    rows = tuple((str(n), f"第{n}行") for n in range(1, 121))
    chart = BarChart("图", "万元", ("本期",), (("甲", (Decimal(5),)),))
    doc = Document("长表", (Heading("一、长表"), Paragraph("说明"), Grid(columns, rows), chart),
                   numbered=True)  # fmt: skip
    out = tmp_path / "long.pdf"
    pages = write_documents([doc], out)
    assert pages == pdf_pages(out) > 2
    text = pdf_text(out).split("\f")
    assert all("序号" in page for page in text[: pages - 1])
    assert all(f"第{n}行" in pdf_text(out) for n in (1, 60, 120))


@pytest.mark.parametrize(
    ("largest", "top", "step"),
    [
        ("2610", "3000", "1000"),
        ("1750", "2000", "500"),
        ("0", "1", "0.2"),
        ("9.5", "10", "2"),
        ("101", "125", "25"),
    ],
)
def test_the_axis_covers_the_largest_bar(largest: str, top: str, step: str) -> None:
    assert nice_top(Decimal(largest)) == (Decimal(top), Decimal(step))


def test_a_policy_card_shows_the_amount_and_the_case(
    sample_db: Database, tmp_path: Path, forms_qapp
) -> None:
    eligible = "91140902MA0XY0001F"  # the sample's 白名单 enterprise, 500,000.00 under 第十二条
    with sample_db.session(source="command") as s:
        results = [r for r in evaluate_roster(s, measures=["12"]) if r.uscc == eligible]
        (case,) = open_cases(s, results, BASIS, PARAMETERS)
        number = case.number
    out = tmp_path / "card.pdf"
    with sample_db.reader() as s:
        outcome = write_policy_cards(s, [eligible], out, date(2023, 6, 1))
    assert (outcome.documents, outcome.pages, pdf_pages(out)) == (1, 1, 1)
    text = flat(pdf_text(out))
    for wanted in ("500,000.00", "符合", number, "待申报", "测算日期：2023年6月1日"):
        assert wanted in text, wanted


def test_every_sample_card_fits_one_page(sample_db: Database, tmp_path: Path, forms_qapp) -> None:
    out = tmp_path / "cards.pdf"
    with sample_db.reader() as s:
        codes = list(s.scalars(select(Enterprise.uscc)))
        outcome = write_policy_cards(s, codes, out, date(2023, 6, 1))
    assert outcome.documents == outcome.pages == pdf_pages(out) == len(codes) > 10
