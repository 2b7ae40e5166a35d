#!/usr/bin/env bash
# Install Relief Desk with its test tools into .venv; check style, import boundaries and types;
# start a throw-away PostgreSQL server (scripts/postgres.sh) and run the whole test suite, the
# database tests on SQLite and on PostgreSQL, on two workers (pytest-xdist;
# RELIEF_DESK_TEST_WORKERS=0 runs it in one process), in two passes: first, with PySide6, the
# tests that need Qt and those that need the server (the PostgreSQL halves of the database
# tests, and the server's own); then (after the PyInstaller bundle is built and smoke-tested)
# every other test headless, in .venv-headless without PySide6, which proves the core needs no Qt.
# Each test runs once; `pytest` alone runs them all (SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh scripts/apt-runtime.txt scripts/apt-test.txt
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test,bundle]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports
.venv/bin/mypy

pg_dir=$(mktemp -d /tmp/relief-desk-pg.XXXXXX)
trap 'bash scripts/postgres.sh stop "$pg_dir"; rm -rf "$pg_dir"' EXIT
if pg_url=$(bash scripts/postgres.sh start "$pg_dir" "${RELIEF_DESK_TEST_PG_PORT:-55432}" 2>"$pg_dir/start.err"); then
  echo "== PostgreSQL for the tests: $pg_url"
else
  pg_url="none: the server could not be started ($(head -c 300 "$pg_dir/start.err" | tr '\n' ' '))"
  echo "== $pg_url" >&2
fi
workers=(-n "${RELIEF_DESK_TEST_WORKERS:-2}")  # pytest-xdist: one worker a core (CI has two)
# Here what needs Qt or the server; the rest (no Qt, SQLite) runs once, headless, below.
.venv/bin/python -m pytest "${workers[@]}" --pg "$pg_url" --headless-pass-follows "$@"

echo "== the one-folder bundle (PyInstaller), built and smoke-tested"
if [[ $pg_url == postgresql://* ]]; then
  smoke_db=${pg_url%/*}/relief_smoke
  PGOPTIONS="-c client_min_messages=warning" psql -q "${pg_url%/*}/postgres" -c "DROP DATABASE IF EXISTS relief_smoke" -c "CREATE DATABASE relief_smoke"
  RELIEF_DESK_SMOKE_PG=$smoke_db bash scripts/bundle.sh
else
  bash scripts/bundle.sh
fi

echo "== headless pass (no PySide6)"
python3 -m venv .venv-headless
mapfile -t requirements < <(.venv/bin/python - <<'PY'
import tomllib

project = tomllib.load(open("pyproject.toml", "rb"))["project"]
wanted = project["dependencies"] + project["optional-dependencies"]["test-headless"]
print("\n".join(r for r in wanted if not r.lower().startswith("pyside6")))
PY
)
.venv-headless/bin/python -m pip install -q --upgrade pip
.venv-headless/bin/python -m pip install -q "${requirements[@]}"
.venv-headless/bin/python -m pip install -q --no-deps -e .
if .venv-headless/bin/python -c "import PySide6" 2>/dev/null; then
  echo "PySide6 is installed in .venv-headless: the headless pass would prove nothing" >&2
  exit 1
fi
.venv-headless/bin/python -m pytest -o required_plugins=hypothesis "${workers[@]}" "$@"
