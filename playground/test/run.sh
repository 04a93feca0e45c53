#!/usr/bin/env bash
# The browser tests of the playground: builds the site (incrementally), serves it on 127.0.0.1 with a
# free port, runs test/browser.test.mjs in headless Chromium, prints `N passed, N failed`.
#   playground/test/run.sh [OUTDIR]      (default: build-playground/site; screenshots next to it)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
out="${1:-$root/build-playground/site}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
shots="$(dirname "$out")/screenshots"

# Chromium, and a Chinese font so that the screenshots are readable.
missing=()
command -v chromium >/dev/null || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-zenhei)
if ((${#missing[@]})); then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi
"$here/build.sh" "$out"

# The size of what the page downloads, gzip-compressed (sw.js is fetched by the browser too).
total=0
for f in "$out"/*; do
  n=$(gzip -9c "$f" | wc -c)
  total=$((total + n))
done
echo "download size (gzip -9): $total bytes"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$out" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
  sleep 0.1
done

rm -rf "$shots"
cd "$here"
status=0
BASE_URL="http://127.0.0.1:$port/" SHOT_DIR="$shots" node test/browser.test.mjs || status=$?
if ((total > 1500000)); then
  echo "FAIL: the page downloads $total bytes gzip-compressed, more than 1.5 MB"
  status=1
fi
exit $status
