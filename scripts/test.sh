#!/usr/bin/env bash
# Runs lutbuild's whole test suite (debug build), then builds the release configuration, installing missing Debian packages first.
#
# Tests run one at a time: several suites drive real simulators, yosys and
# training that keep a core busy for seconds, and the watch-mode tests measure
# reaction times; interleaved on a 2-core machine they starve each other.
# Serially the whole suite takes about 3 to 4 minutes once built (367 tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
# FuseSoC (Python) checks the generated .core file for real; lutbuild itself needs no Python.
if ! command -v fusesoc >/dev/null 2>&1; then
    python3 -m pip install -q fusesoc >&2 || echo "warning: could not install fusesoc; the FuseSoC tests will fail" >&2
fi
swift test --no-parallel "$@"
# The release configuration too: its target-specific compiler flags (Package.swift) are compiled nowhere else.
swift build -c release
