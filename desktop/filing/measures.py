"""How the paperwork names each roster-wide measure of 忻政办发〔2022〕86号."""

from __future__ import annotations

from dataclasses import dataclass

DOCUMENT_NUMBER = "忻政办发〔2022〕86号"
DOCUMENT_TITLE = "忻州市支持工业企业加快复工复产达产达效十八条措施"
FILING = "申报汇总表"


@dataclass(frozen=True)
class MeasureInfo:
    """The words the filing sheet, the ledger and the application form use for one measure."""

    measure: str
    clause: str  # 第十二条
    subject: str  # what is granted, e.g. “白名单”企业市级配套奖励
    amount_label: str  # the amount column, without its unit
    sheet_kind: str  # 申报汇总表, or 减免情况汇总表 where nothing is applied for
    period_label: str | None  # the period column, for a measure with several periods

    @property
    def basis(self) -> str:
        """The legal basis: the document and the clause."""
        return f"《{DOCUMENT_TITLE}》（{DOCUMENT_NUMBER}）{self.clause}"

    @property
    def filing_title(self) -> str:
        """The title of the filing sheet."""
        return f"{self.clause} {self.subject}{self.sheet_kind}"

    @property
    def form_title(self) -> str:
        """The title of the application form."""
        return f"{self.subject}申请表"


MEASURES: dict[str, MeasureInfo] = {
    info.measure: info
    for info in (
        MeasureInfo("5", "第五条", "小型微利企业所得税减免", "减免税额", "情况汇总表", "纳税年度"),
        MeasureInfo("11", "第十一条", "开发区标准化厂房租金减免", "减免租金", FILING, None),
        MeasureInfo("12", "第十二条", "“白名单”企业市级配套奖励", "配套奖励", FILING, None),
        MeasureInfo("13", "第十三条", "重点产业链链主企业奖励", "奖励金额", FILING, None),
    )
}


def measure_info(measure: str) -> MeasureInfo:
    """The words for ``measure`` ("5", "11", "12", "13"); KeyError for any other."""
    return MEASURES[measure]
