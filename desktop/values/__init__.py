"""The one vocabulary of values (Qt-free): each parser returns the typed value or raises
``ValueProblem``; import, editor, settings, calculators and what-if all read values here.

``cells`` (blanks, Excel's text forms, free text), ``numbers`` (money, areas, counts, ratios),
``dates``, ``codes`` (credit codes, industry codes, counties), ``choices`` (yes/no and the fixed
lists) and ``typed`` (each ``ValueType`` and its parser).
"""

from desktop.values.cells import (
    BLANK_MARKS,
    MAX_EXACT_FLOAT,
    NUMBER_BLANKS,
    OutOfRange,
    ValueProblem,
    half_width,
    is_blank,
    is_blank_number,
    long_digits,
    quoted,
    text,
    text_width,
    unquoted,
)
from desktop.values.choices import (
    ENTERPRISE_KIND,
    INDUSTRIAL_KIND,
    NO,
    PROVINCIAL_LEVEL,
    STOP_CAUSE,
    YES,
    ZONE_KIND,
    ZONE_LEVEL,
    Choice,
    flag,
    flag_word,
    zone_names,
)
from desktop.values.codes import (
    COUNTIES,
    USCC_ALPHABET,
    USCC_LENGTH,
    county,
    industry,
    section_of,
    uscc,
    uscc_problem,
)
from desktop.values.dates import day, month, month_number, year
from desktop.values.numbers import (
    CENT,
    MAX_AREA,
    MAX_COUNT,
    MAX_RATIO,
    MAX_YUAN,
    MONEY_UNITS,
    amount,
    decimal,
    integer,
    money,
    money_text,
    number,
    ratio,
    yuan,
)
from desktop.values.typed import ValueType, blank, optional, parser, shown, words

__all__ = [
    "BLANK_MARKS", "CENT", "COUNTIES", "ENTERPRISE_KIND", "INDUSTRIAL_KIND", "MAX_AREA",
    "MAX_COUNT", "MAX_EXACT_FLOAT", "MAX_RATIO", "MAX_YUAN", "MONEY_UNITS", "NO",
    "NUMBER_BLANKS", "PROVINCIAL_LEVEL", "STOP_CAUSE", "USCC_ALPHABET", "USCC_LENGTH", "YES",
    "ZONE_KIND", "ZONE_LEVEL", "Choice", "OutOfRange", "ValueProblem", "ValueType", "amount",
    "blank", "county", "day", "decimal", "flag", "flag_word", "half_width", "industry", "integer",
    "is_blank", "is_blank_number", "long_digits", "money", "money_text", "month", "month_number",
    "number", "optional", "parser", "quoted", "ratio", "section_of", "shown", "text", "text_width",
    "unquoted", "uscc", "uscc_problem", "words", "year", "yuan", "zone_names",
]  # fmt: skip
