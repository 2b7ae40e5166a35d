"""Relief Desk: Xinzhou's eighteen industrial recovery measures, as a county office tool."""

__version__ = "0.1.0"
APP_NAME = "Relief Desk"
APP_NAME_ZH = "惠企政策兑现台"
PRODUCT_NAME = f"{APP_NAME} · {APP_NAME_ZH}"  # the one name: window title, README, about
