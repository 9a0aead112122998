#!/usr/bin/env bash
# Installs the Debian packages lutbuild needs, only when some are missing.
# yosys also provides yosys-abc, the ABC that maps every truth table to LUTs.
# chromium renders gen/reports/index.html in the report tests; libcurl4-openssl-dev lets
# scripts/install.sh link the Swift runtime (URLSession) statically.
# slurmctld, slurmd, slurm-client and munge run the one-node cluster of the Slurm sweep
# tests; without recommends they are 8 packages (no systemd, no mail server).
set -euo pipefail
packages=(pkg-config libxml2-dev zlib1g-dev libcurl4-openssl-dev verilator iverilog yosys tcl nginx chromium)
bare_packages=(slurmctld slurmd slurm-client munge)
missing=()
missing_bare=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
for p in "${bare_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing_bare+=("$p")
done
if [ ${#missing[@]} -gt 0 ] || [ ${#missing_bare[@]} -gt 0 ]; then
    echo "installing: ${missing[*]} ${missing_bare[*]}" >&2
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    if [ ${#missing[@]} -gt 0 ]; then
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >&2
    fi
    if [ ${#missing_bare[@]} -gt 0 ]; then
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing_bare[@]}" >&2
    fi
fi
