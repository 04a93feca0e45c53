#!/usr/bin/env bash
# Quick start: install what is missing, build, and check an example applicant against the
# Zhengzhou 2024 policy set (a teacher whose 优质课 lacks its document number).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" >/dev/null
example="${1:-$root/policies/zhengzhou-2024/examples/teacher-no-docnum.json}"
cd "$root"
set +e
./build/zhiping check policies/zhengzhou-2024 "$example" --format text
status=$?
set -e
echo "(exit status $status: 0 pass, 1 fail, 2 policy error, 3 input error)"
