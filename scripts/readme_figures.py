#!/usr/bin/env python3
"""Keeps generated figures in README.md true.

A block between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in README.md holds the text of a
report file that a test or benchmark writes. `--check` (run by ctest) fails when the README differs
from the report; without it the README block is rewritten from the report.

  scripts/readme_figures.py [--check] NAME REPORT_FILE [README]
"""
import sys


def main():
    args = sys.argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    name, report = args[0], args[1]
    readme = args[2] if len(args) > 2 else "README.md"
    begin, end = f"<!-- {name}:begin -->\n", f"<!-- {name}:end -->"
    text = open(readme, encoding="utf-8").read()
    if begin not in text or end not in text:
        print(f"{readme} has no block {begin.strip()} … {end}")
        return 1
    body = open(report, encoding="utf-8").read().rstrip("\n") + "\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    updated = head + begin + body + end + tail
    if check:
        if updated != text:
            print(f"README.md block '{name}' differs from {report}; run: scripts/readme_figures.py {name} {report}")
            return 1
        print(f"README.md block '{name}' matches {report}")
        return 0
    open(readme, "w", encoding="utf-8").write(updated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
