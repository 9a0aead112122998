#!/usr/bin/env bash
# Checks the Swift sources against .swift-format (layout, the 140-column limit
# and the rules it enables); exits non-zero on any finding. scripts/test.sh
# runs it first, so CI fails on a violation. `swift format --in-place
# --recursive Sources Tests Package.swift` fixes what can be fixed by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
swift format lint --strict --recursive --parallel Sources Tests Package.swift
