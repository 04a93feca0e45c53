#!/usr/bin/env bash
# One command for the zz24-core benchmark (see bench/README.md):
#   bench/run.sh [N=100000] [RUNS=5]
# Configures build-bench/ with -DZHIPING_BENCH=ON, builds (-j2), generates the data with
# ../shared/bench/gen.js if missing, runs bench/zhiping_bench, then times `zhiping batch` with 1 and 2
# jobs (median of 3 each, wall clock and CPU time).
set -euo pipefail
N=${1:-100000}
RUNS=${2:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$ROOT/build-bench"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DZHIPING_BENCH=ON -DZHIPING_TESTS=OFF >/dev/null
make -C "$BUILD" -j2 zhiping zhiping_bench >/dev/null
DATA="$BUILD/data/applicants-$N.jsonl"
if [ ! -f "$DATA" ]; then
  mkdir -p "$BUILD/data"
  node "$ROOT/../shared/bench/gen.js" "$N" "$DATA"
fi
echo "# $(date -u +%Y-%m-%dT%H:%MZ)  commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo '+changes')"
echo "# command: bench/run.sh $N $RUNS"
# BATCH_ONLY=1 skips the harness and times only `zhiping batch`.
if [ -z "${BATCH_ONLY:-}" ]; then
  "$BUILD/bench/zhiping_bench" --n "$N" --runs "$RUNS" --data "$DATA"
fi

echo
echo "## zhiping batch bench/zz24-core.zp ($N records), median of 3; output to /dev/null"
declare -A wall cpu
for jobs in 1 2; do wall[$jobs]=""; cpu[$jobs]=""; done
for rep in 1 2 3; do
  for jobs in 1 2; do
    /usr/bin/time -o "$BUILD/time.txt" -f "%e %U %S" "$BUILD/zhiping" batch "$ROOT/bench/zz24-core.zp" "$DATA" --jobs $jobs >/dev/null 2>&1
    read -r e u s <"$BUILD/time.txt"
    wall[$jobs]+="$e "
    cpu[$jobs]+="$(echo "$u + $s" | bc) "
  done
done
med() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
w1=$(echo "${wall[1]}" | med); w2=$(echo "${wall[2]}" | med)
c1=$(echo "${cpu[1]}" | med); c2=$(echo "${cpu[2]}" | med)
printf "  --jobs 1: %6.2f s wall (%s), %6.2f s CPU, %8.0f records/s\n" "$w1" "${wall[1]% }" "$c1" "$(echo "$N / $w1" | bc -l)"
printf "  --jobs 2: %6.2f s wall (%s), %6.2f s CPU, %8.0f records/s\n" "$w2" "${wall[2]% }" "$c2" "$(echo "$N / $w2" | bc -l)"
printf "  speed-up 2 jobs / 1 job: %.2f (target >= 1.7); CPU time 2 jobs / 1 job: %.2f\n" "$(echo "$w1 / $w2" | bc -l)" "$(echo "$c2 / $c1" | bc -l)"
echo "  /proc/loadavg at the end: $(cat /proc/loadavg)"
