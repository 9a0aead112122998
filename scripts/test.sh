#!/usr/bin/env bash
# Runs lutbuild's whole test suite (debug build), installing missing Debian packages first.
#
# Tests run one at a time: several suites drive real simulators, yosys and
# training that keep a core busy for seconds, and the watch-mode tests measure
# reaction times; interleaved on a 2-core machine they starve each other.
# Serially the whole suite takes about 1.5 minutes once built.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift test --no-parallel "$@"
