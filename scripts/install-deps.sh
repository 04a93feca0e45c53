#!/usr/bin/env bash
# Installs the Debian 12 packages Zhiping needs, only those that are missing (apt-get update first).
#   scripts/install-deps.sh            core: compiler, CMake, PEGTL, nlohmann/json, Catch2, Node
#   scripts/install-deps.sh --all      also Emscripten and Chromium for the playground and its tests
set -euo pipefail
packages=(build-essential cmake tao-pegtl-dev nlohmann-json3-dev catch2 python3)
# Node.js and npm: a machine may already have them from another source (NodeSource bundles npm, and
# Debian's npm package then conflicts), so they are installed only when the commands are missing.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
if [[ "${1:-}" == "--all" ]]; then
  packages+=(emscripten chromium)
fi
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
