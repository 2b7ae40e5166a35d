"""Amounts in Chinese capitals (人民币大写), as written on cheques and application forms."""

from __future__ import annotations

from decimal import Decimal

import cn2an


def amount_in_capitals(amount: Decimal) -> str:
    """``Decimal("250000.00")`` → 贰拾伍万元整; 角 and 分 where the amount has them."""
    if amount < 0:
        raise ValueError(f"负数金额不能写成大写：{amount}")
    return cn2an.an2cn(f"{amount:.2f}", "rmb")
