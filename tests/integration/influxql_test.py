#!/usr/bin/env python3
"""InfluxQL on the real binary against InfluxDB 1.6's own answers (tests/data/influxql/*.test).

For each file: starts a fresh `zhizao serve`, writes the file's data through /write into database
`test`, runs every case through /query and compares the parsed JSON with the expected answer
(numbers within 1e-9 relative; rows of one series at the same time in any order, since
InfluxDB's order among them follows its merge heap). The format and the markers: the README.md
next to the data. Usage: influxql_test.py PATH_TO_ZHIZAO
"""
import json
import math
import os
import sys
import tempfile
import unittest

import serve_test
from serve_test import TOKEN, Server

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "influxql")
AUTH = {"Authorization": "Token " + TOKEN}


def load_cases():
    if not os.path.isdir(DATA):
        return None
    sys.path.insert(0, DATA)
    import regenerate
    return regenerate


def normalize(answer):
    """Sorts the rows sharing a time within each series; leaves everything else as it is."""
    if isinstance(answer, list):  # a chunked answer's documents
        return [normalize(doc) for doc in answer]
    for result in answer.get("results", []) if isinstance(answer, dict) else []:
        for series in result.get("series", []):
            if series.get("columns", [None])[0] != "time":
                continue
            rows, out, i = series.get("values", []), [], 0
            while i < len(rows):
                j = i
                while j < len(rows) and rows[j][0] == rows[i][0]:
                    j += 1
                out.extend(sorted(rows[i:j], key=lambda r: json.dumps(r, sort_keys=True)))
                i = j
            series["values"] = out
    return answer


def strip_errors(answer):
    """Replaces every error text by a placeholder (for `differs message` cases)."""
    if isinstance(answer, dict):
        return {k: ("<error>" if k == "error" else strip_errors(v)) for k, v in answer.items()}
    if isinstance(answer, list):
        return [strip_errors(v) for v in answer]
    return answer


def first_difference(want, got, path="$"):
    """A readable description of the first place where got differs from want, or None."""
    if isinstance(want, bool) or isinstance(got, bool):
        return None if want is got else f"{path}: want {json.dumps(want)}, got {json.dumps(got)}"
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        if want == got or math.isclose(want, got, rel_tol=1e-9, abs_tol=0.0):
            return None
        return f"{path}: want {want!r}, got {got!r}"
    if isinstance(want, dict) and isinstance(got, dict):
        if list(want) != list(got):
            return f"{path}: want keys {list(want)}, got {list(got)}"
        for k in want:
            d = first_difference(want[k], got[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(want, list) and isinstance(got, list):
        for i, (w, g) in enumerate(zip(want, got)):
            d = first_difference(w, g, f"{path}[{i}]")
            if d:
                return d
        if len(want) != len(got):
            return f"{path}: want {len(want)} items, got {len(got)}"
        return None
    return None if want == got else f"{path}: want {json.dumps(want)}, got {json.dumps(got)}"


def has_error(answer):
    if isinstance(answer, list):
        return any(has_error(doc) for doc in answer)
    return isinstance(answer, dict) and ("error" in answer or any("error" in r for r in answer.get("results", [])))


def check(case, status, body, parse_body):
    """None when zhizao's answer matches the case, else the report of the mismatch."""
    try:
        got = parse_body(body)
    except ValueError:
        return f"{case.where()}\n  not JSON ({status}): {body[:300]}"
    want_status, want = case.expect
    diff = None
    if case.differs and case.differs[0] == "answer":
        diff = None if status < 500 else f"HTTP {status}"
    elif case.differs:
        if not has_error(got):
            diff = "want an error (any text: " + case.differs[1] + ")"
        elif "error" not in want and "error" not in got:
            # Both ran the statements: all but the errors' texts must match.
            diff = first_difference(strip_errors(normalize(want)), strip_errors(normalize(got)))
    else:
        diff = (f"HTTP status: want {want_status}, got {status}" if status != want_status else
                first_difference(normalize(want), normalize(got)))
    if diff is None:
        return None
    return (f"{case.where()}\n  {diff}\n  want {json.dumps(case.expect[1], separators=(',', ':'))[:1500]}"
            f"\n  got  {body.strip()[:1500]}")


class InfluxQLTest(unittest.TestCase):
    cases = load_cases()

    def setUp(self):
        if self.cases is None:
            self.skipTest(f"no InfluxQL cases: {DATA} is missing")

    def run_file(self, name):
        regenerate = self.cases
        test_file = regenerate.TestFile(os.path.join(DATA, name))
        missing = [c.where() for c in test_file.cases if c.expect is None]
        self.assertFalse(missing, "cases without an expect line (run regenerate.py): " + "; ".join(missing))
        with tempfile.TemporaryDirectory(prefix="zz-influxql-") as tmp:
            config = os.path.join(tmp, "zhizao.toml")
            with open(config, "w") as f:
                f.write("[sim]\nenabled = false\n")
            server = Server(os.path.join(tmp, "data"), extra_args=("--config", config))
            try:
                regenerate.write_data(server.url, test_file, AUTH)
                failures = []
                for case in test_file.cases:
                    status, body = regenerate.run_case(server.url, case, AUTH)
                    report = check(case, status, body, regenerate.parse_body)
                    if report:
                        failures.append(report)
            finally:
                server.stop()
        self.assertFalse(failures, f"{len(failures)} of {len(test_file.cases)} cases differ from InfluxDB:\n\n" +
                         "\n\n".join(failures))


def _add_file_tests():
    if not os.path.isdir(DATA):
        return
    for name in sorted(os.listdir(DATA)):
        if name.endswith(".test"):
            setattr(InfluxQLTest, "test_" + name[:-5], lambda self, n=name: self.run_file(n))


_add_file_tests()

if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: influxql_test.py PATH_TO_ZHIZAO")
    serve_test.ZHIZAO = os.path.abspath(sys.argv.pop(1))
    if not os.path.isdir(DATA):
        print(f"SKIP: no InfluxQL cases, {DATA} is missing", file=sys.stderr)
    unittest.main(verbosity=2)
