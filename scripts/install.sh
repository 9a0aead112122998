#!/usr/bin/env bash
# Installs lutbuild for machines without Swift (CI runners, colleagues):
#   scripts/install.sh [PREFIX]          (default /usr/local)
# Builds a release binary with the Swift runtime linked in (--static-swift-stdlib),
# so it needs only the Debian libraries that scripts/ensure-deps.sh installs, and writes
#   PREFIX/bin/lutbuild
#   PREFIX/share/bash-completion/completions/lutbuild, zsh and fish completions
#   PREFIX/share/lutbuild/hooks/   the git hooks `lutbuild hooks install` writes (also built in)
# Needs Swift only here, on the machine that builds; copy PREFIX to others.
set -euo pipefail
prefix="${1:-/usr/local}"
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh
# Its own scratch path: a `swift build` or `swift test` in .build (which holds SwiftPM's
# lock there for its whole run, e.g. the test that runs this script) never waits for it.
build=(swift build -c release --static-swift-stdlib --product lutbuild --scratch-path .build/install)
"${build[@]}" >&2
binary="$("${build[@]}" --show-bin-path)/lutbuild"

sudo_cmd=""
mkdir -p "$prefix" 2>/dev/null || true
if [ ! -w "$prefix" ] && [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
share="$prefix/share"
$sudo_cmd install -d "$prefix/bin" "$share/bash-completion/completions" "$share/zsh/site-functions" \
    "$share/fish/vendor_completions.d" "$share/lutbuild/hooks"
$sudo_cmd install -m 755 "$binary" "$prefix/bin/lutbuild"
# ArgumentParser writes the completion scripts.
"$binary" --generate-completion-script bash | $sudo_cmd tee "$share/bash-completion/completions/lutbuild" >/dev/null
"$binary" --generate-completion-script zsh | $sudo_cmd tee "$share/zsh/site-functions/_lutbuild" >/dev/null
"$binary" --generate-completion-script fish | $sudo_cmd tee "$share/fish/vendor_completions.d/lutbuild.fish" >/dev/null
$sudo_cmd install -m 755 hooks/* "$share/lutbuild/hooks/"
echo "installed $prefix/bin/lutbuild ($("$prefix/bin/lutbuild" version)); completions and hooks under $share" >&2
