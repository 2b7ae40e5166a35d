#!/usr/bin/env bash
# Build the one-folder bundle (dist/relief-desk/) with PyInstaller and smoke-test it: the bundled
# command line runs `selftest` (migrations, sample import, evaluation, a workbook, the window
# offscreen, a printed form), a real import of a GBK CSV, and, given RELIEF_DESK_SMOKE_PG (an
# empty database on a server), the same import and an evaluation there. Needs .venv with
# '.[test,bundle]' installed (scripts/test.sh does it). The same spec builds on Windows
# (README, "Windows").
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python packaging/draw_icon.py
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/relief-desk.spec
bundled=dist/relief-desk/relief-desk-cli
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
env -u DISPLAY -u QT_QPA_PLATFORM "$bundled" selftest
# a GBK CSV as a county office would send it: read in the bundle's spawned sandbox child
printf '企业名称,统一社会信用代码,所属县（市、区）,规上企业\n冒烟测试有限公司,91140902MA0XY0001F,忻府区,是\n' \
  | iconv -f UTF-8 -t GBK >"$scratch/roster.csv"
"$bundled" --db "$scratch/smoke.sqlite3" --operator 冒烟测试 import "$scratch/roster.csv" --json \
  >"$scratch/import.json"
.venv/bin/python - "$scratch/import.json" <<'PY'
import json, sys

(sheet,) = json.load(open(sys.argv[1], encoding="utf-8"))["files"][0]["sheets"]
assert (sheet["kind"], sheet["created"], sheet["rejected"]) == ("roster", 1, []), sheet
PY
"$bundled" --db "$scratch/smoke.sqlite3" check
if [ -n "${RELIEF_DESK_SMOKE_PG:-}" ]; then  # an empty server database (scripts/test.sh makes one)
  "$bundled" --db "$RELIEF_DESK_SMOKE_PG" --operator 冒烟测试 import "$scratch/roster.csv" >/dev/null
  "$bundled" --db "$RELIEF_DESK_SMOKE_PG" evaluate --measure 12 --json >"$scratch/evaluate.json"
  .venv/bin/python -c "import json,sys; assert len(json.load(open(sys.argv[1]))) == 1" \
    "$scratch/evaluate.json"
  echo "bundle smoke test on PostgreSQL passed"
fi
echo "bundle smoke test passed: $(du -sh dist/relief-desk | cut -f1) in dist/relief-desk"
