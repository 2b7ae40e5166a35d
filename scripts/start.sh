#!/usr/bin/env bash
# Open the Relief Desk window on the local database. The first run installs it into .venv (and,
# as root, the few Debian packages Qt needs); later runs just start it, and install again only
# when pyproject.toml or setup.py changed (a stamp in .venv records what was installed).
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.relief-desk-installed
wanted="$(cat pyproject.toml setup.py | sha256sum | cut -d' ' -f1)"
if [ ! -x .venv/bin/relief-desk ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "首次运行：正在安装 Relief Desk（只需一次）…" >&2
  bash scripts/system-packages.sh scripts/apt-runtime.txt
  python3 -m venv .venv
  # pip's and setuptools' chatter goes to a log, shown only when the install fails
  log=.venv/install.log
  if ! { .venv/bin/python -m pip install -q --upgrade pip && .venv/bin/python -m pip install -q -e .; } \
    >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "安装失败，完整记录见 $log" >&2
    exit 1
  fi
  echo "$wanted" >"$stamp"
fi
exec .venv/bin/relief-desk "$@"
