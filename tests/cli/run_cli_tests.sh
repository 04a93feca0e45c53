#!/usr/bin/env bash
# End-to-end tests of the zhiping command line, through the real binary, as shared/spec/CLI.md
# describes it: exit statuses, the JSON and text reports, batch, test, eval, editing a policy on
# disk, and how load errors are printed.
#
#   usage: run_cli_tests.sh ZHIPING_BINARY SOURCE_DIR
#
# Prints one line per failed check and a closing line `N passed, N failed`; exits non-zero on any
# failure. JSON is checked with python3, which is always present where the tests run.
set -u

ZHIPING=${1:?usage: run_cli_tests.sh ZHIPING_BINARY SOURCE_DIR}
SRC=${2:?usage: run_cli_tests.sh ZHIPING_BINARY SOURCE_DIR}
ZHIPING=$(cd "$(dirname "$ZHIPING")" && pwd)/$(basename "$ZHIPING")
EXAMPLE=policies/example
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$SRC" || exit 2

passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL: $*"
}

# Runs zhiping with the given arguments; standard output goes to $TMP/out, standard error to
# $TMP/err, and the exit status to $status.
run() {
  "$ZHIPING" "$@" >"$TMP/out" 2>"$TMP/err"
  status=$?
}

# Runs zhiping with standard input from the file given first.
run_stdin() {
  local input=$1
  shift
  "$ZHIPING" "$@" <"$input" >"$TMP/out" 2>"$TMP/err"
  status=$?
}

expect_status() {  # NAME EXPECTED
  if [ "$status" -eq "$2" ]; then pass; else fail "$1: exit status $status, expected $2 (stderr: $(head -c 300 "$TMP/err"))"; fi
}

expect_out_contains() {  # NAME TEXT
  if grep -qF -- "$2" "$TMP/out"; then pass; else fail "$1: standard output lacks '$2': $(head -c 400 "$TMP/out")"; fi
}

expect_err_contains() {  # NAME TEXT
  if grep -qF -- "$2" "$TMP/err"; then pass; else fail "$1: standard error lacks '$2': $(head -c 400 "$TMP/err")"; fi
}

# Runs a python3 snippet with the JSON of standard output (or of each line, for batch) bound to
# `out` / `lines`; the snippet asserts. The snippet's own error text is shown on failure.
expect_json() {  # NAME PYTHON
  local message
  if message=$(python3 -S - "$TMP/out" "$2" 2>&1 <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
try:
    out = json.loads(text)
except ValueError:
    out = None
lines = [json.loads(l) for l in text.splitlines() if l.strip()] if out is None else None
exec(sys.argv[2])
PY
  ); then pass; else fail "$1: $(echo "$message" | tail -n 3)"; fi
}

# ---- check: exit statuses --------------------------------------------------------------------

run check "$EXAMPLE" "$EXAMPLE/examples/pass.json" --format json
expect_status "check pass" 0
run check "$EXAMPLE" "$EXAMPLE/examples/short.json" --format json
expect_status "check fail" 1
run check "$EXAMPLE" "$EXAMPLE/examples/invalid.json" --format json --lang en
expect_status "check invalid input" 3
expect_err_contains "check invalid input names the path" '$.submitted: expected a date "YYYY-MM-DD", got "2024/10/08"'
expect_err_contains "check invalid input names the enum" '$.level: '
printf '{"name": ' >"$TMP/broken.json"
run check "$EXAMPLE" "$TMP/broken.json"
expect_status "check input not JSON" 3
run check "$EXAMPLE" "$TMP/no-such-file.json"
expect_status "check missing input file" 3
run_stdin "$EXAMPLE/examples/pass.json" check "$EXAMPLE" - --format json
expect_status "check from standard input" 0
run check "$SRC/tests/cases/bad/check-three-errors.zp" "$EXAMPLE/examples/pass.json"
expect_status "check bad policy" 2
run check "$TMP/no-such-policy" "$EXAMPLE/examples/pass.json"
expect_status "check missing policy" 2

# ---- check --format json: the shape of CLI.md -------------------------------------------------

run check "$EXAMPLE" "$EXAMPLE/examples/short.json" --format json
expect_json "check json shape" '
assert set(out) == {"decision", "findings", "values"}, sorted(out)
assert out["decision"] == "fail"
codes = [f["code"] for f in out["findings"]]
assert codes == ["PUBLIC-HOURS-SHORT", "COURSE-PROVIDER-NOT-ACCREDITED", "COURSE-CERTIFICATE-MISSING"], codes
for f in out["findings"]:
    assert {"code", "severity", "message", "cite", "source"} <= set(f), f
    assert f["severity"] in ("error", "warning", "info")
    src = f["source"]
    assert src["file"].endswith("policies/example/10-applicant.zp"), src
    assert isinstance(src["line"], int) and src["line"] > 0 and isinstance(src["column"], int) and src["column"] > 0
e, w, i = out["findings"]
assert (e["severity"], w["severity"], i["severity"]) == ("error", "warning", "info")
assert "item" not in e
assert w["item"] == "courses[1]", w
assert i["item"] == "课程《临床新进展》", i
assert e["cite"] == "第三条（一）"
assert e["message"] == "王五：2024年度公需科目计入10学时，中级须满30学时。", e["message"]
assert out["values"]["total_hours"] == 70
assert out["values"]["grade"] == "不足"
assert out["values"]["correction_deadline"] == "2024-10-14"
'
run check "$EXAMPLE" "$EXAMPLE/examples/pass.json" --format json
expect_json "check json pass" '
assert out["decision"] == "pass" and out["findings"] == [], out
assert out["values"] == {"total_hours": 90, "grade": "合格"}, out["values"]
'

# ---- check --format text: the readable Chinese report ------------------------------------------

run check "$EXAMPLE" "$EXAMPLE/examples/short.json" --format text
expect_status "check text fail" 1
expect_out_contains "text decision" "不通过"
expect_out_contains "text message" "王五：2024年度公需科目计入10学时，中级须满30学时。"
expect_out_contains "text cite" "第三条（一）"
expect_out_contains "text item" "courses[1]"
expect_out_contains "text values" "2024-10-14"
run check "$EXAMPLE" "$EXAMPLE/examples/pass.json" --format text
expect_status "check text pass" 0
expect_out_contains "text pass decision" "通过"
if grep -q "不通过" "$TMP/out"; then fail "text pass report says 不通过"; else pass; fi

# ---- batch ------------------------------------------------------------------------------------

python3 -S - "$SRC/$EXAMPLE/examples" "$TMP/batch.jsonl" <<'PY'
import json, sys
folder, target = sys.argv[1], sys.argv[2]
good = json.dumps(json.load(open(folder + "/pass.json", encoding="utf-8")), ensure_ascii=False)
short = json.dumps(json.load(open(folder + "/short.json", encoding="utf-8")), ensure_ascii=False)
wrong_type = json.loads(good); wrong_type["year"] = "2024"
lines = [
    "this is not json",                               # 1: invalid at the start
    good,                                             # 2: pass
    json.dumps(wrong_type, ensure_ascii=False),       # 3: invalid in the middle (a type error)
    short,                                            # 4: fail
    "",                                               # 5: an empty line is answered too
    good,                                             # 6: pass
    "{\"name\": ",                                    # 7: invalid at the end (truncated)
]
open(target, "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
run batch "$EXAMPLE" "$TMP/batch.jsonl"
expect_status "batch" 0
expect_json "batch lines" '
assert [l["line"] for l in lines] == [1, 2, 3, 4, 5, 6, 7], [l.get("line") for l in lines]
invalid = [l["line"] for l in lines if "error" in l]
assert invalid == [1, 3, 5, 7], invalid
assert "$.year" in lines[2]["error"], lines[2]["error"]
assert [l["decision"] for l in lines if "error" not in l] == ["pass", "fail", "pass"]
assert lines[3]["findings"][0]["code"] == "PUBLIC-HOURS-SHORT"
assert lines[3]["values"]["total_hours"] == 70
for l in lines:
    if "error" in l:
        assert set(l) == {"line", "error"}, l
'
expect_err_contains "batch summary records" "records: 7"
expect_err_contains "batch summary counts" "pass: 2, fail: 1, invalid: 4"
expect_err_contains "batch summary rate" "records/s"
# Many records over several threads stay in input order.
python3 -S - "$TMP/batch.jsonl" "$TMP/many.jsonl" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines[i % len(lines)] for i in range(9000)) + "\n")
PY
# 9,000 lines are three blocks of work for the same worker threads.
for jobs in 2 4; do
  run batch "$EXAMPLE" "$TMP/many.jsonl" --jobs $jobs
  expect_status "batch many, $jobs jobs" 0
  expect_json "batch many in order, $jobs jobs" '
assert [l["line"] for l in lines] == list(range(1, 9001))
pattern = ["error", "pass", "error", "fail", "error", "pass", "error"]
got = ["error" if "error" in l else l["decision"] for l in lines]
assert got == [pattern[i % 7] for i in range(9000)]
'
done
# A line over the input size limit (16 MiB) is answered with an error, between its neighbours.
python3 -S - "$TMP/long.jsonl" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"a": 1}\n')
    f.write('{"x": "' + "a" * (17 << 20) + '"}\n')
    f.write('{"a": 2}\n')
PY
run batch "$EXAMPLE" "$TMP/long.jsonl"
expect_status "batch overlong line" 0
expect_json "batch overlong line answered in place" '
assert [r["line"] for r in lines] == [1, 2, 3], lines
assert "16777216" in lines[1]["error"], lines[1]
'
run batch "$SRC/tests/cases/bad/check-three-errors.zp" "$TMP/batch.jsonl"
expect_status "batch bad policy" 2
if [ -s "$TMP/out" ]; then fail "batch bad policy wrote to standard output"; else pass; fi

# ---- test -------------------------------------------------------------------------------------

run test "$EXAMPLE"
expect_status "test example" 0
expect_out_contains "test example summary" "5 passed, 0 failed"
mkdir -p "$TMP/failing"
cat >"$TMP/failing/p.zp" <<'ZP'
subject applicant
input { year: int }
rule LATE "late" { severity error cite "1" when year > 2030 message "late" }
test "passes" {
  input {"year": 2031}
  expect LATE
}
test "fails" {
  input {"year": 2024}
  expect LATE
}
ZP
run test "$TMP/failing" --lang en
expect_status "test failing" 1
expect_out_contains "test failing summary" "1 passed, 1 failed"
expect_out_contains "test failing place" "p.zp:10:3: "
expect_out_contains "test failing message" "expected LATE to be raised"
run test "$SRC/tests/cases/bad/check-three-errors.zp"
expect_status "test bad policy" 2

# ---- eval -------------------------------------------------------------------------------------

run eval '1 + 2'
expect_status "eval value" 0
expect_out_contains "eval value text" "3"
run eval '3u'
expect_out_contains "eval uint literal" "3u"
run eval '[1, 2.0]'
expect_out_contains "eval list literal" "[1, 2.0]"
run eval '"a"'
expect_out_contains "eval string literal" '"a"'
run eval 'date("2024-12-31")'
expect_out_contains "eval date literal" 'date("2024-12-31")'
run eval '3u' --format json
expect_json "eval json value" 'assert out == {"type": "uint", "value": 3}, out'
run eval '1 / 0'
expect_status "eval error" 1
run eval '1 / 0' --format json --lang en
expect_status "eval error json" 1
expect_json "eval json error" 'assert list(out) == ["error"] and "zero" in out["error"], out'
run eval '1 +'
expect_status "eval parse error" 2
run eval 'sise("a")' --format json --lang en
expect_status "eval check error json" 2
expect_json "eval json check error" 'assert "size" in out["error"], out'
run eval 'f_unknown(1) || true'
expect_status "eval unknown function checked" 2
run eval 'f_unknown(1) || true' --no-check
expect_status "eval --no-check" 0
expect_out_contains "eval --no-check value" "true"
run eval 'x + size(y)' --bindings '{"x": 1, "y": "中文"}'
expect_status "eval bindings" 0
expect_out_contains "eval bindings value" "3"

# ---- a policy edited on disk changes the next check, with no rebuild --------------------------

cp -r "$EXAMPLE" "$TMP/edited"
run check "$TMP/edited" "$TMP/edited/examples/short.json" --format json
expect_status "edited before" 1
sed -i 's/| "intermediate" | "public"       | 30 |/| "intermediate" | "public"       | 10 |/' "$TMP/edited/00-shared.zp"
if grep -q '"public"       | 10 |' "$TMP/edited/00-shared.zp"; then pass; else fail "sed did not edit the threshold"; fi
run check "$TMP/edited" "$TMP/edited/examples/short.json" --format json
expect_status "edited after" 0
expect_json "edited after findings" '
codes = [f["code"] for f in out["findings"]]
assert "PUBLIC-HOURS-SHORT" not in codes and out["decision"] == "pass", codes
'

# ---- load errors: every error, as file:line:column: with the line and a caret --------------------

cp "$SRC/tests/cases/bad/check-three-errors.zp" "$TMP/three.zp"
run check "$TMP/three.zp" "$EXAMPLE/examples/pass.json"
expect_status "three errors" 2
expect_err_contains "three errors 1" "$TMP/three.zp:7:9: 错误: 未知名称 \`yeer\`；是否想写 \`year\`？"
expect_err_contains "three errors 2" "$TMP/three.zp:8:9: 错误: 函数 \`startsWith\`"
expect_err_contains "three errors 3" "$TMP/three.zp:12:8: 错误: "
if [ "$(grep -c "^$TMP/three.zp:[0-9]*:[0-9]*: " "$TMP/err")" -eq 3 ]; then pass; else fail "three errors: expected exactly 3 located messages"; fi
python3 -S - "$TMP/err" <<'PY' && pass || fail "three errors: source lines and carets"
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
# Each message is followed by the source line and a caret line whose `^` is under the column.
for i, l in enumerate(lines):
    if ": 错误: " in l and l.count(":") >= 3:
        column = int(l.split(":")[2])
        source, caret = lines[i + 1], lines[i + 2]
        assert source.startswith("  "), source
        assert caret.strip().startswith("^"), caret
        # ASCII before the column in these lines: the caret is at indent + column - 1.
        assert caret.index("^") == 2 + column - 1, (l, caret)
PY
run check "$TMP/three.zp" "$EXAMPLE/examples/pass.json" --lang en
expect_err_contains "three errors in English" "$TMP/three.zp:7:9: error: unknown name \`yeer\`; did you mean \`year\`?"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
