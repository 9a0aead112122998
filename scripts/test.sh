#!/usr/bin/env bash
# Runs lutbuild's whole test suite (debug build), installing missing Debian packages first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift test "$@"
