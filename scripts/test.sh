#!/usr/bin/env bash
# Installs lutbuild (release, static Swift runtime) into a temporary prefix, then runs the whole
# test suite (debug build) against it, installing missing Debian packages first.
#
# Tests run one at a time: several suites drive real simulators, yosys and
# training that keep a core busy for seconds, and the watch-mode tests measure
# reaction times; interleaved on a 2-core machine they starve each other.
# Serially the whole suite takes about 3 to 4 minutes once built (384 tests).
set -euo pipefail
cd "$(dirname "$0")/.."
# This script installs every tool the tests use, so a test that finds one missing fails instead of
# skipping (tests read CI, as CI services set it).
export CI="${CI:-true}"
# Layout and the 140-column limit first (.swift-format): a violation fails at once, before the long build.
scripts/lint.sh
scripts/ensure-deps.sh
# FuseSoC (Python) checks the generated .core file for real; lutbuild itself needs no Python.
if ! command -v fusesoc >/dev/null 2>&1; then
    python3 -m pip install -q fusesoc >&2 || echo "warning: could not install fusesoc; the FuseSoC tests will fail" >&2
fi
# The release configuration, built once: scripts/install.sh builds the static release binary
# (in .build/install) into a temporary prefix, which InstalledBinaryTests then runs with the
# toolchain off PATH. The rest of the package is built there too: its target-specific
# compiler flags (Package.swift) are compiled nowhere else. nice: it is the long part.
installed="$(mktemp -d)"
trap 'rm -rf "$installed"' EXIT
nice -n 10 scripts/install.sh "$installed"
nice -n 10 swift build -c release --static-swift-stdlib --scratch-path .build/install
LUTBUILD_INSTALLED_PREFIX="$installed" swift test --no-parallel "$@"
