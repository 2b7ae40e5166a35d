"""The columns of each sheet kind (TEMPLATE.md): header, synonyms, value type, default unit.

One source for both the template writer and header recognition.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop import APP_NAME_ZH
from desktop.sheets.parsed import SheetKind
from desktop.values import ValueType


@dataclass(frozen=True, slots=True)
class Field:
    """One column of a sheet kind."""

    name: str
    header: str
    type: ValueType
    required: bool = False
    unit: str | None = None
    synonyms: tuple[str, ...] = ()

    @property
    def template_header(self) -> str:
        """The header text the template writes, e.g. ``工业总产值（万元）*``."""
        unit = f"（{self.unit}）" if self.unit else ""
        return f"{self.header}{unit}{'*' if self.required else ''}"


@dataclass(frozen=True, slots=True)
class KindSpec:
    """A sheet kind: the template's sheet name and its columns in template order."""

    kind: SheetKind
    title: str
    fields: tuple[Field, ...]
    any_of: tuple[str, ...] = ()  # beside the required, at least one of these must be present

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the fields a sheet of this kind must have."""
        return tuple(f.name for f in self.fields if f.required)


T = ValueType
USCC = Field(
    "uscc", "统一社会信用代码", T.uscc, True,
    synonyms=("社会信用代码", "统一代码", "信用代码", "统一社会信用代码(纳税人识别号)",
              "纳税人识别号", "社会统一信用代码", "企业统一社会信用代码",
              "统一社会信用代码/纳税人识别号", "纳税人识别号/统一社会信用代码"),
)  # fmt: skip
OUTPUT_SYNONYMS = ("产值", "总产值", "当月产值", "当月工业总产值", "工业总产值(当月)")
# Statistics bureaus' annual tables (一套表) and tax systems' exports name these fields so.
ANNUAL_OUTPUT_SYNONYMS = (*OUTPUT_SYNONYMS, "全年工业总产值", "本年工业总产值", "年度工业总产值")

ROSTER = KindSpec(SheetKind.roster, "企业名录", (
    Field("name", "企业名称", T.text, True,
          synonyms=("单位名称", "企业(单位)名称", "企业单位名称", "单位详细名称", "纳税人名称",
                    "名称", "法人单位名称", "法人单位详细名称", "企业全称")),
    USCC,
    Field("county", "所属县（市、区）", T.county, True,
          synonyms=("县区", "所属县区", "县(市、区)", "县(市区)", "所属县", "县市区", "所在县区",
                    "区县", "所属区县", "所属县(市区)", "所在县(市、区)", "县(区)", "区县名称",
                    "县(市、区)名称")),
    Field("zone", "所在开发区", T.text, synonyms=("开发区", "所属开发区", "所在园区", "园区")),
    Field("industry_code", "行业代码", T.industry,
          synonyms=("国民经济行业代码", "行业分类代码", "国民经济行业分类代码", "所属行业代码")),
    Field("above_scale", "规上企业", T.flag,
          synonyms=("是否规上企业", "规模以上工业企业", "是否规模以上企业", "规上")),
    Field("size", "企业规模", T.enterprise_size, synonyms=("规模", "企业规模类型", "规模类型")),
    Field("white_list", "白名单企业", T.flag, synonyms=("是否白名单企业", "白名单")),
    Field("chain", "所属产业链", T.text, synonyms=("产业链", "重点产业链")),
    Field("chain_leader", "链主企业", T.flag, synonyms=("是否链主企业", "链主")),
    Field("chain_role_confirmed", "链主作用认定", T.tristate, synonyms=("链主作用是否认定",)),
    Field("legal_representative", "法定代表人", T.text, synonyms=("法人代表", "法人")),
    Field("contact", "联系人", T.text),
    Field("phone", "联系电话", T.long_digits, synonyms=("电话", "手机", "联系方式")),
    Field("address", "注册地址", T.text, synonyms=("地址", "企业地址", "住所")),
    Field("bank", "开户银行", T.text, synonyms=("开户行",)),
    Field("bank_account", "银行账号", T.long_digits, synonyms=("账号", "开户账号", "银行账户")),
))  # fmt: skip

MONTHLY = KindSpec(SheetKind.monthly, "月度产值", (
    USCC,
    Field("month", "年月", T.month, True, synonyms=("月份", "统计月份", "所属月份", "年份月份")),
    Field("output", "工业总产值", T.money, True, "万元", OUTPUT_SYNONYMS),
))  # fmt: skip

ANNUAL = KindSpec(SheetKind.annual, "年度数据", (
    USCC,
    Field("year", "年度", T.year, True,
          synonyms=("年份", "统计年度", "所属年度", "纳税年度", "税款所属年度")),
    Field("output", "工业总产值", T.money, False, "万元", ANNUAL_OUTPUT_SYNONYMS),
    Field("taxable_income", "应纳税所得额", T.signed_money, False, "万元",
          ("应纳税所得", "年度应纳税所得额", "纳税调整后所得")),
    Field("employees", "从业人数", T.integer,
          synonyms=("从业人员", "从业人员数", "职工人数", "年末从业人数", "从业人员平均人数",
                    "从业人员期末人数", "期末从业人数", "年末从业人员", "年末从业人员数",
                    "从业人员年末人数", "平均从业人数", "平均从业人员")),
    Field("total_assets", "资产总额", T.money, False, "万元",
          ("总资产", "资产合计", "资产总计", "年末资产总计", "期末资产总计", "年末资产总额",
           "期末资产总额")),
    Field("restricted_industry", "限制或禁止行业", T.flag,
          synonyms=("是否限制或禁止行业", "是否属于限制或禁止行业", "限制类或禁止类",
                    # the tax return's basic-information table (A000000) and its variants
                    "国家限制或禁止行业", "从事国家限制或禁止行业", "限制或禁止类行业",
                    "限制类、禁止类行业", "国家限制和禁止行业")),
))  # fmt: skip

LEASES = KindSpec(SheetKind.leases, "厂房租赁", (
    USCC,
    Field("zone", "开发区", T.text, True, synonyms=("所在开发区", "所属开发区", "园区")),
    Field("standard_factory", "标准化厂房", T.flag, True, synonyms=("是否标准化厂房",)),
    Field("area", "面积", T.decimal, False, "平方米", ("租赁面积", "厂房面积")),
    Field("monthly_rent", "月租金", T.money, True, "元", ("租金", "每月租金", "月租金额")),
    Field("start_date", "起租日期", T.date, True,
          synonyms=("租赁起始日期", "起始日期", "开始日期", "租赁开始日期", "起租日", "租赁起始日",
                    "租期起始日期", "租期开始日期")),
    Field("end_date", "到期日期", T.date, True,
          synonyms=("租赁到期日期", "终止日期", "结束日期", "租赁结束日期", "租赁终止日期",
                    "到期日", "租赁到期日", "租期截止日期", "租赁截止日期", "租期届满日期")),
))  # fmt: skip

ZONES = KindSpec(SheetKind.zones, "开发区", (
    Field("name", "开发区名称", T.text, True, synonyms=("开发区", "园区名称")),
    Field("level", "级别", T.zone_level, synonyms=("开发区级别",)),
    Field("kind", "类型", T.zone_kind, synonyms=("开发区类型",)),
))  # fmt: skip

# The task force's sheets (TASKFORCE.md). People are named by name alone (models.Person).
ASSIGNMENTS = KindSpec(SheetKind.assignments, "包联企业", (
    USCC,
    Field("leader", "包联领导", T.text,
          synonyms=("包联县领导", "县级包联领导", "包联领导姓名", "联系领导", "包联责任领导")),
    Field("team", "服务小组", T.text,
          synonyms=("入企服务小组", "服务组", "包联小组", "服务小组名称")),
    Field("commissioner", "服务专员", T.text,
          synonyms=("企业服务专员", "包联专员", "服务专员姓名", "联络员")),
    Field("phone", "联系电话", T.long_digits,
          synonyms=("电话", "专员电话", "服务专员电话", "联系方式", "手机")),
), any_of=("leader", "team", "commissioner"))  # fmt: skip

VISITS = KindSpec(SheetKind.visits, "走访记录", (
    USCC,
    Field("visited_on", "走访日期", T.date, True,
          synonyms=("服务日期", "入企日期", "走访时间", "入企服务日期")),
    Field("people", "走访人员", T.names, True, synonyms=("走访人", "入企人员", "服务人员")),
    Field("purpose", "走访事由", T.text, synonyms=("事由", "走访内容", "服务事项", "走访目的")),
    Field("measures", "宣讲政策", T.text, synonyms=("宣讲内容", "政策宣讲", "送达政策")),
    Field("problem", "反映问题", T.text,
          synonyms=("企业反映问题", "反映的问题", "问题诉求", "困难问题", "企业诉求")),
    Field("note", "备注", T.text),
))  # fmt: skip

PROBLEMS = KindSpec(SheetKind.problems, "问题清单", (
    USCC,
    Field("raised_on", "反映日期", T.date, True,
          synonyms=("提出日期", "问题反映日期", "收集日期", "登记日期")),
    Field("source", "问题来源", T.problem_source, synonyms=("来源",)),
    Field("category", "问题类别", T.problem_category, True,
          synonyms=("问题类型", "类别", "诉求类别", "问题分类")),
    Field("description", "问题描述", T.text, True,
          synonyms=("问题内容", "具体问题", "诉求内容", "问题及诉求")),
    Field("lead_unit", "主办单位", T.text, True, synonyms=("责任单位", "牵头单位", "承办单位")),
    Field("assisting_units", "协办单位", T.text, synonyms=("配合单位",)),
    Field("deadline", "办理时限", T.date, True, synonyms=("完成时限", "办结时限", "时限要求")),
    Field("state", "办理状态", T.problem_state, synonyms=("状态", "问题状态")),
    Field("result", "办理结果", T.text, synonyms=("办理情况", "解决情况", "办结情况")),
))  # fmt: skip

MONITORING = KindSpec(SheetKind.monitoring, "运行监测", (
    USCC,
    Field("period", "期间", T.period, True, synonyms=("监测期间", "报告期", "统计期间", "周次")),
    Field("status", "生产状态", T.production_status, True,
          synonyms=("复工状态", "生产经营状态", "运行状态", "复工复产状态")),
    Field("output", "产值", T.money, False, "万元",
          ("当期产值", "本期产值", "工业总产值", "总产值")),
    Field("electricity", "用电量", T.energy, False, "千瓦时", ("用电", "本期用电量", "当期用电量")),
    Field("employees", "在岗人数", T.integer,
          synonyms=("在岗职工", "在岗人员", "到岗人数", "在岗职工人数", "在岗员工")),
))  # fmt: skip

PAYMENTS = KindSpec(SheetKind.payments, "拨付明细", (
    USCC,
    Field("measure", "支持事项", T.measure, True, synonyms=("政策条款", "支持政策", "兑现事项")),
    Field("period", "期间", T.text, synonyms=("所属期间", "兑现期间")),
    Field("amount", "拨付金额", T.money, True, "元", ("拨付资金", "实拨金额", "拨款金额")),
    Field("paid_on", "拨付日期", T.date, True, synonyms=("拨款日期", "支付日期")),
    Field("voucher", "凭证号", T.text, True, synonyms=("凭证编号", "记账凭证号", "支付凭证号")),
    Field("level", "资金级别", T.fund_level, synonyms=("资金来源",)),
))  # fmt: skip

# Template order, which is also the order kinds are tried in: none of these is a subset of another.
KINDS: tuple[KindSpec, ...] = (
    ROSTER, MONTHLY, ANNUAL, LEASES, ZONES, ASSIGNMENTS, VISITS, PROBLEMS, MONITORING, PAYMENTS,
)  # fmt: skip
SPECS: dict[SheetKind, KindSpec] = {spec.kind: spec for spec in KINDS}
# When a header row completes several kinds, the most specific wins: figure sheets often repeat
# the enterprise's name and county, and a roster or lease sheet names zones.
PRECEDENCE: tuple[SheetKind, ...] = (
    SheetKind.payments,
    SheetKind.leases, SheetKind.monthly, SheetKind.annual, SheetKind.roster, SheetKind.zones,
    SheetKind.visits, SheetKind.problems, SheetKind.monitoring, SheetKind.assignments,
)  # fmt: skip
IGNORED_HEADERS = frozenset({"序号", "编号", "行号"})  # row numbers: never reported as unused
TEMPLATE_TITLE = f"{APP_NAME_ZH} · 导入模板"  # first cell of the template's instructions sheet
# The template's example row (row 2 of each kind's sheet) is keyed by a made-up code or zone name.
EXAMPLE_USCC = "91140902MA0EXAMPL3"
EXAMPLE_ZONE = "（示例）忻州某工业园区"
