#!/usr/bin/env bash
# Builds the complete static site of the playground into OUTDIR (index.html at its root):
#   playground/build.sh OUTDIR
# Installs what is missing (Emscripten and Chromium from Debian, the npm packages of package-lock.json),
# compiles lang/, interpreter/ and stdlib/ to WebAssembly (build-wasm/ next to the repository's
# build/), and bundles the page with esbuild. Any static file server can serve OUTDIR.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="${1:?usage: playground/build.sh OUTDIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
wasm_build="${ZHIPING_WASM_BUILD:-$root/build-wasm}"

need=()
command -v emcc >/dev/null || need+=(emscripten)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
command -v cmake >/dev/null || need+=(cmake)
[[ -f /usr/include/tao/pegtl.hpp ]] || need+=(tao-pegtl-dev)
[[ -f /usr/include/nlohmann/json.hpp ]] || need+=(nlohmann-json3-dev)
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}"
fi

# Debian's emcc runs its JavaScript optimizer with Node, which needs acorn from /usr/share/nodejs.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"
if [[ ! -f "$wasm_build/CMakeCache.txt" ]]; then
  emcmake cmake -S "$root" -B "$wasm_build" -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$wasm_build" --target zhiping_wasm -j"${JOBS:-2}"

cd "$here"
if [[ ! -d node_modules/esbuild || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
node scripts/bundle.mjs "$out" "$wasm_build/playground/wasm"
