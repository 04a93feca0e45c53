#!/usr/bin/env bash
# Serves a built playground on http://127.0.0.1:PORT/ (default 8000):
#   playground/serve.sh OUTDIR [PORT]
set -euo pipefail
dir="${1:?usage: playground/serve.sh OUTDIR [PORT]}"
port="${2:-8000}"
echo "serving $dir on http://127.0.0.1:$port/"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory "$dir"
