#!/usr/bin/env bash
# The main job on the template project: installs missing Debian packages,
# builds lutbuild in release mode, creates demo/ from the built-in template
# (only if it does not exist yet) and runs `lutbuild build` there.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
swift build -c release --product lutbuild
lutbuild="$(swift build -c release --show-bin-path)/lutbuild"
if [ ! -e demo/lutbuild.toml ]; then
    "$lutbuild" init demo
fi
cd demo
exec "$lutbuild" build "$@"
