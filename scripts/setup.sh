#!/usr/bin/env bash
# Install everything hpkg and its tests need on a fresh machine: a virtualenv with the package
# and its test tools, and the system programs the tests drive (Java for HermiT, Chromium for the pages).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${1:-.venv}"

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "hpkg needs Python >= 3.11 (found $("$PYTHON" --version))" >&2
  exit 1
fi

# System packages, installed only when missing (needs root, as on CI).
need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)   # HermiT (hpkg reason)
command -v dot >/dev/null 2>&1 || need_apt+=(graphviz)                 # hpkg diagram
command -v virtuoso-t >/dev/null 2>&1 || need_apt+=(virtuoso-opensource-7-bin)   # the remote-store tests
# Headless Chromium for the query-page tests (driven by Playwright, which must not download a browser).
[ -x /usr/bin/chromium ] || need_apt+=(chromium fonts-dejavu-core)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
  else
    echo "please install: ${need_apt[*]}" >&2
    exit 1
  fi
fi

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -e '.[dev,server,bench,docs]'
