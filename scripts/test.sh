#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test (Catch2 units, the
# policies' own tests, CLI end-to-end, CEL conformance, C API, the browser tests of the playground).
#   scripts/test.sh              everything
#   ZHIPING_SKIP_BROWSER=1 scripts/test.sh   without the playground (no Emscripten/Chromium needed)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -n "${ZHIPING_SKIP_BROWSER:-}" ]]; then
  "$root/scripts/install-deps.sh"
else
  "$root/scripts/install-deps.sh" --all
fi
"$root/scripts/build.sh"
(cd "$root/build" && ctest --output-on-failure -j2)
if [[ -z "${ZHIPING_SKIP_BROWSER:-}" && -x "$root/playground/test/run.sh" ]]; then
  "$root/playground/test/run.sh"
fi
