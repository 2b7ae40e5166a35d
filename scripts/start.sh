#!/usr/bin/env bash
# Install Relief Desk into .venv and open the window on the local database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh scripts/apt-runtime.txt
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
exec .venv/bin/relief-desk "$@"
