"""The import template of TEMPLATE.md: an instructions sheet and one sheet per kind."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from desktop.sheets.faces import font
from desktop.sheets.fields import (
    EXAMPLE_USCC,
    EXAMPLE_ZONE,
    KINDS,
    TEMPLATE_TITLE,
    Field,
    KindSpec,
    ValueType,
)
from desktop.sheets.parsed import SheetKind

TEXT_COLUMNS = {
    ValueType.uscc, ValueType.industry, ValueType.long_digits, ValueType.month, ValueType.period,
}  # fmt: skip
EXAMPLES: dict[SheetKind, dict[str, Any]] = {
    SheetKind.roster: {
        "name": "（示例）忻州某机械制造有限公司", "uscc": EXAMPLE_USCC, "county": "忻府区",
        "zone": EXAMPLE_ZONE, "industry_code": "C3311", "above_scale": "是", "size": "中型",
        "white_list": "否",
        "chain": "", "chain_leader": "否", "chain_role_confirmed": "",
        "legal_representative": "张三", "contact": "李四", "phone": "0350-1234567",
        "address": "忻州市忻府区示例路1号", "bank": "示例银行忻州分行",
        "bank_account": "1234567890123456789",
    },
    SheetKind.monthly: {"uscc": EXAMPLE_USCC, "month": "2023-01", "output": 1250.5},
    SheetKind.annual: {
        "uscc": EXAMPLE_USCC, "year": 2022, "output": 15000, "taxable_income": 800,
        "employees": 120, "total_assets": 30000, "restricted_industry": "否",
    },
    SheetKind.leases: {
        "uscc": EXAMPLE_USCC, "zone": EXAMPLE_ZONE, "standard_factory": "是", "area": 1200,
        "monthly_rent": 15000, "start_date": date(2023, 1, 1), "end_date": date(2025, 12, 31),
    },
    SheetKind.zones: {"name": EXAMPLE_ZONE, "level": "省级", "kind": "工业类"},
    SheetKind.assignments: {
        "uscc": EXAMPLE_USCC, "leader": "王某某", "team": "第一服务小组", "commissioner": "赵某某",
        "phone": "13800000000",
    },
    SheetKind.visits: {
        "uscc": EXAMPLE_USCC, "visited_on": date(2023, 3, 15), "people": "赵某某、钱某某",
        "purpose": "入企服务", "measures": "第二条、第六条", "problem": "缺少熟练技工约20人",
        "note": "",
    },
    SheetKind.problems: {
        "uscc": EXAMPLE_USCC, "raised_on": date(2023, 3, 15), "source": "走访", "category": "用工",
        "description": "缺少熟练技工约20人", "lead_unit": "县人社局", "assisting_units": "县工信局",
        "deadline": date(2023, 4, 15), "state": "办理中", "result": "",
    },
    SheetKind.monitoring: {
        "uscc": EXAMPLE_USCC, "period": "2023-03", "status": "全面复工", "output": 1250.5,
        "electricity": 150000, "employees": 120,
    },
    SheetKind.payments: {
        "uscc": EXAMPLE_USCC, "measure": "第十二条", "period": "2023-Q1", "amount": 125000,
        "paid_on": date(2023, 7, 15), "voucher": "（示例）记-2023-0715-001", "level": "市级",
    },
}  # fmt: skip
INSTRUCTIONS = (
    TEMPLATE_TITLE,
    "",
    "1. 每个工作表一种数据：企业名录、月度产值、年度数据、厂房租赁、开发区、包联企业、走访记录、"
    "问题清单、运行监测、拨付明细。"
    "程序按表头（第一行列名）识别表的种类，工作表名称和顺序可以改动。",
    "2. 列名带 * 的为必填列；列名中的单位（元、万元、亿元）决定金额的换算，"
    "不写单位时产值、所得额、资产按万元，租金按元。",
    "3. 每个工作表第2行是示例，导入时按其示例代码（开发区表按示例名称）跳过；"
    "改写为真实数据时请连同代码、名称一起改写。",
    "4. 统一社会信用代码为18位，程序会检查校验位；请保持该列为文本格式，以免丢失末位。",
    "5. 是/否 列可填：是、否、√、×、Y、N、1、0；留空视为“否”（链主作用认定留空表示尚未认定）。",
    "6. 年月可写作 2023-01、2023/1、2023年1月 或 202301；日期可写作 2023-01-05、2023/1/5、"
    "2023年1月5日 或 20230105。月度产值也可每月一列（如“2023年1月产值（万元）”）。",
    "7. 所属县（市、区）应为忻州市的14个县（市、区）或五台山风景名胜区、忻州经济开发区。",
    "8. 合计、小计行和空行会被跳过；同一文件中有错的行会在导入报告中逐行列出原因。",
    "9. 企业规模填：大型、中型、小型、微型。包联企业表按姓名登记包联领导和服务专员"
    "（新姓名自动建档），服务专员加入所填服务小组。",
    "10. 走访记录中填写了“反映问题”的，自动登记一条问题（来源走访、类别其他、状态待交办，"
    "办理时限暂定走访后15天），交办时再定主办单位和时限。",
    "11. 问题清单的问题来源填：走访、电话、12345、其他；问题类别填：用工、资金、融资、能源、"
    "物流、审批、市场、其他；办理状态填：待交办、办理中、申请延期、已办结、已回访、已销号"
    "（留空为待交办）。已登记问题的办理状态和办理时限须在程序中按流程改动，导入时不改。",
    "12. 运行监测的期间可写作 2023-03、2023年3月（月报）或 2023-W05、2023年第5周（周报）；"
    "生产状态填：停产、部分复工、全面复工、达产达效。月报的产值即该月的月度产值，只保存一份。",
    "13. 拨付明细：支持事项写条款（第十二条）或措施编号（12）；期间同测算结果（如 2023-Q1），"
    "该措施只有一个期间时可留空；同一企业的凭证号只登记一次；只有公示无异议的兑现事项可以拨付，"
    "累计拨付达到审核金额时自动改为已拨付。",
)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = font(bold=True, color="C00000")
PLAIN_FONT = font(bold=True)


def _width(text: str, minimum: float) -> float:
    return max(minimum, sum(2.1 if ord(ch) > 0x2E80 else 1.1 for ch in text) + 2)


def _write_kind(ws: Worksheet, spec: KindSpec) -> None:
    columns: list[Field | None] = (
        [None, *spec.fields] if spec.kind is SheetKind.roster else [*spec.fields]
    )
    example = EXAMPLES[spec.kind]
    ws.append(["序号" if f is None else f.template_header for f in columns])
    ws.append([1 if f is None else example.get(f.name) for f in columns])
    for index, f in enumerate(columns, start=1):
        letter = get_column_letter(index)
        head = ws.cell(row=1, column=index)
        head.font = REQUIRED_FONT if f is not None and f.required else PLAIN_FONT
        head.fill = HEADER_FILL
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        is_text = f is not None and f.type in TEXT_COLUMNS
        ws.column_dimensions[letter].width = _width(head.value, 22.0 if is_text else 10.0)
        if is_text:
            ws.column_dimensions[letter].number_format = "@"
            ws.cell(row=2, column=index).number_format = "@"
        elif f is not None and f.type is ValueType.date:
            ws.cell(row=2, column=index).number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"


def write_template(out: Path) -> None:
    """Write the import template workbook to ``out`` (.xlsx)."""
    workbook = Workbook()
    notes = workbook.active
    notes.title = "说明"
    for line in INSTRUCTIONS:
        notes.append([line])
    notes["A1"].font = font(14, bold=True)
    notes.column_dimensions["A"].width = 120
    for spec in KINDS:
        _write_kind(workbook.create_sheet(spec.title), spec)
    workbook.save(out)
