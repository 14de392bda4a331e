#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine and run the whole suite.
# Node.js (pip builds the pages' script with npm), Python packages (partnerkit editable,
# with its [test], [postgres] and [encrypted] extras), Debian's
# Chromium for the browser tests, Noto fonts for every script in reports, and the
# preinstalled PostgreSQL 15 server started for the store tests. Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*"; }

say "Node.js and npm: pip install builds the pages' script with them"
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
fi
node --version

say "Python packages"
python3 -m pip install --quiet --disable-pip-version-check -e ".[test,postgres,hub,cluster,encrypted]"

say "Chromium for browser tests, and an emoji font for PDF reports"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
chromium --version
if ! dpkg -s fonts-noto-color-emoji >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-color-emoji >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-color-emoji >/dev/null; }
  else
    sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-color-emoji >/dev/null
  fi
fi

say "Noto fonts for Chinese, Japanese, Korean, Arabic, Urdu and Hebrew in PDF reports and charts"
if ! dpkg -s fonts-noto-core fonts-noto-cjk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core fonts-noto-cjk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core fonts-noto-cjk >/dev/null; }
  else
    sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-core fonts-noto-cjk >/dev/null
  fi
fi

say "LibreOffice Writer, to check that every Word report opens"
if ! command -v soffice >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null; }
  else
    sudo apt-get update -qq && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null
  fi
fi
soffice --version

say "configurable-http-proxy from npm, for the JupyterHub tests"
if ! command -v configurable-http-proxy >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then npm install -g --silent configurable-http-proxy; else sudo npm install -g --silent configurable-http-proxy; fi
fi
configurable-http-proxy --version

say "poppler-utils (pdftoppm, pdftotext), to check every page of every PDF report"
if ! command -v pdftoppm >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null; }
  else
    sudo apt-get update -qq && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null
  fi
fi
pdftoppm -v 2>&1 | sed -n 1p   # sed reads to the end: head would close the pipe early (SIGPIPE, exit 141 under pipefail)

say "PostgreSQL for store tests"
if [ -z "${PARTNERKIT_TEST_DATABASE_URL:-}" ]; then
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
  if [ -z "$cluster" ]; then
    as_root pg_createcluster 15 main >/dev/null
    cluster="15 main"
  fi
  port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
  status=$(pg_lsclusters --no-header | awk 'NR==1 {print $4}')
  if [ "$status" != online ]; then
    as_root pg_ctlcluster $cluster start
  fi
  as_root su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_roles WHERE rolname='partnerkit_test'\" | grep -q 1 || psql -q -p $port -c \"CREATE ROLE partnerkit_test LOGIN CREATEDB PASSWORD 'partnerkit_test'\""
  export PARTNERKIT_TEST_DATABASE_URL="postgresql://partnerkit_test:partnerkit_test@127.0.0.1:$port/postgres"
fi
echo "store tests use ${PARTNERKIT_TEST_DATABASE_URL%%@*}@…"

say "Lint: ruff (style and docstrings) and import-linter (layers, no cycles)"
python3 -m ruff check .
lint-imports

say "Tests"
export PARTNERKIT_REQUIRE_POSTGRES=1 PARTNERKIT_REQUIRE_BROWSER=1 PARTNERKIT_REQUIRE_FONTS=1
python3 -m pytest --nbval-lax -p no:cacheprovider tests workbooks "$@"
