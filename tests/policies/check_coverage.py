#!/usr/bin/env python3
"""Coverage of the Zhengzhou policy set against RULES.md.

Every code of RULES.md must be a rule of the policy set with exactly the clause and severity the
contract gives, and must be raised by at least one of the policy's own tests: a rule that no test
raises fails CI. Usage: check_coverage.py ZHIPING POLICY_DIR RULES_MD
"""
import json
import re
import subprocess
import sys


def contract_rows(rules_md):
    """(code, clause, severity) for every table row of RULES.md whose first cell is a `CODE`."""
    rows = []
    for line in open(rules_md, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"`[A-Z][A-Z0-9-]+`", cells[0]):
            rows.append((cells[0].strip("`"), cells[1], cells[2]))
    return rows


def main():
    zhiping, policy, rules_md = sys.argv[1:4]
    try:
        rows = contract_rows(rules_md)
    except OSError as e:
        print(f"cannot read the contract {rules_md}: {e}")
        return 1
    if len(rows) < 30:
        print(f"only {len(rows)} codes read from {rules_md}; the table format changed?")
        return 1
    rules = json.loads(subprocess.run([zhiping, "rules", policy, "--format", "json"], check=True,
                                      capture_output=True, text=True).stdout)
    tests = json.loads(subprocess.run([zhiping, "test", policy, "--format", "json"],
                                      capture_output=True, text=True).stdout)
    raised = set(tests["codes_raised"])
    by_code = {}
    for r in rules:
        by_code.setdefault(r["code"], []).append(r)
    passed = failed = 0
    for code, clause, severity in rows:
        problems = []
        found = by_code.get(code, [])
        if not found:
            problems.append("no rule has this code")
        for r in found:
            if r["cite"] != clause:
                problems.append(f'{r["file"]}:{r["line"]}: cite "{r["cite"]}", contract says "{clause}"')
            if r["severity"] != severity:
                problems.append(f'{r["file"]}:{r["line"]}: severity {r["severity"]}, contract says {severity}')
        if code not in raised:
            problems.append("no test of the policy raises it")
        if problems:
            failed += 1
            for p in problems:
                print(f"{code}: {p}")
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
