#!/usr/bin/env python3
"""Rewrites the `expect` lines of the InfluxQL cases (*.test here) with real InfluxDB's answers.

    python3 tests/data/influxql/regenerate.py [--influxd /usr/bin/influxd] [FILE.test ...]

Starts a fresh influxd (auth off, reporting off, no _internal database) in a temporary dir on
free 127.0.0.1 ports; for each file drops and re-creates database `test`, writes the file's data
through /write, runs each case and writes InfluxDB's answer back into the file. The format is in
README.md next to this script. tests/integration/influxql_test.py imports the parser from here.
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PARAMS = {"db": "test", "epoch": "ns"}


class Case:
    def __init__(self, path, line_no, query):
        self.path, self.line_no, self.query = path, line_no, query
        self.params = dict(DEFAULT_PARAMS)
        self.differs = None  # None, or ("message" | "answer", why)
        self.expect = None   # (status, parsed JSON) once regenerated

    def where(self):
        return f"{os.path.basename(self.path)}:{self.line_no}: {self.query}"


class TestFile:
    """A parsed *.test file: its data, its cases, and its lines (to write the expectations back)."""

    def __init__(self, path):
        self.path = path
        self.precision = "ns"
        self.data = []
        self.cases = []
        with open(path, encoding="utf-8") as f:
            self.lines = f.read().splitlines()
        for n, line in enumerate(self.lines, 1):
            self._take(n, line)

    def _take(self, n, line):
        word, _, rest = line.partition(" ")
        if not line.strip() or line.startswith("#"):
            return
        if word == "query":
            self.cases.append(Case(self.path, n, rest.strip()))
        elif not self.cases:
            if word == "precision":
                self.precision = rest.strip()
            else:
                self.data.append(line)
        elif word == "params":
            for k, v in urllib.parse.parse_qsl(rest.strip(), keep_blank_values=True):
                if v:
                    self.cases[-1].params[k] = v
                else:
                    self.cases[-1].params.pop(k, None)
        elif word == "differs":
            kind, _, why = rest.partition(":")
            if kind not in ("message", "answer") or not why.strip():
                raise ValueError(f"{self.path}:{n}: use 'differs message: why' or 'differs answer: why'")
            self.cases[-1].differs = (kind, why.strip())
        elif word == "expect":
            status, _, body = rest.partition(" ")
            self.cases[-1].expect = (int(status), json.loads(body))
        else:
            raise ValueError(f"{self.path}:{n}: unexpected line after the first query: {line}")

    def write_expectations(self, answers):
        """Rewrites the file with `answers` (status, body text) in case order."""
        out, i = [], -1
        for line in self.lines:
            if line.startswith("expect "):
                continue
            if line.startswith("query ") and i >= 0:
                _insert_expect(out, answers[i])
            if line.startswith("query "):
                i += 1
            out.append(line)
        if i >= 0:
            _insert_expect(out, answers[i])
        with open(self.path, "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")


def _insert_expect(out, answer):
    # After the case's own lines, before the blank lines and comments that lead to the next one.
    at = len(out)
    while at > 0 and (not out[at - 1].strip() or out[at - 1].startswith("#")):
        at -= 1
    status, body = answer
    out.insert(at, f"expect {status} {json.dumps(parse_body(body), separators=(',', ':'))}")


def parse_body(text):
    """The answer's JSON; a chunked answer (several documents, one a line) as their list."""
    docs = [json.loads(line) for line in text.splitlines() if line.strip()]
    return docs[0] if len(docs) == 1 else docs


def test_files(names=()):
    if names:
        return [TestFile(os.path.abspath(n)) for n in names]
    return [TestFile(os.path.join(HERE, n)) for n in sorted(os.listdir(HERE)) if n.endswith(".test")]


def request(method, url, body=None, headers=None, timeout=30):
    """Returns (status, body text); never raises for HTTP errors."""
    req = urllib.request.Request(url, data=body, method=method)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def run_case(base_url, case, headers=None):
    """POSTs the case's query as a form, as the influx shell does; returns (status, body text)."""
    form = urllib.parse.urlencode({"q": case.query, **case.params}).encode()
    h = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    return request("POST", base_url.rstrip("/") + "/query", form, h)


def write_data(base_url, test_file, headers=None):
    if not test_file.data:
        return
    q = urllib.parse.urlencode({"db": "test", "precision": test_file.precision})
    status, body = request("POST", base_url.rstrip("/") + "/write?" + q, "\n".join(test_file.data).encode(), headers)
    if status != 204:
        raise RuntimeError(f"{test_file.path}: write failed ({status}): {body}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Influxd:
    """A throwaway influxd on free ports; stop() ends it."""

    def __init__(self, binary, tmp):
        http_port = free_port()
        conf = os.path.join(tmp, "influxdb.conf")
        with open(conf, "w") as f:
            f.write(f'reporting-disabled = true\nbind-address = "127.0.0.1:{free_port()}"\n'
                    f'[meta]\n  dir = "{tmp}/meta"\n'
                    f'[data]\n  dir = "{tmp}/data"\n  wal-dir = "{tmp}/wal"\n  query-log-enabled = false\n'
                    f'[monitor]\n  store-enabled = false\n'
                    f'[http]\n  bind-address = "127.0.0.1:{http_port}"\n  auth-enabled = false\n  log-enabled = false\n'
                    f'[continuous_queries]\n  enabled = false\n')
        self.log = open(os.path.join(tmp, "influxd.log"), "w")
        self.proc = subprocess.Popen([binary, "-config", conf], stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{http_port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request("GET", self.url + "/ping", timeout=2)[0] == 204:
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("influxd did not answer /ping within 30 s; see " + self.log.name)

    def query(self, q):
        status, body = request("POST", self.url + "/query", urllib.parse.urlencode({"q": q}).encode(),
                               {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 200 or "error" in body:
            raise RuntimeError(f"{q}: {status} {body}")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--influxd", default="/usr/bin/influxd")
    parser.add_argument("files", nargs="*", help="default: every *.test next to this script")
    args = parser.parse_args()
    files = test_files(args.files)
    with tempfile.TemporaryDirectory(prefix="influxql-regen-") as tmp:
        influxd = Influxd(args.influxd, tmp)
        try:
            for tf in files:
                influxd.query("DROP DATABASE test")
                influxd.query("CREATE DATABASE test")
                write_data(influxd.url, tf)
                tf.write_expectations([run_case(influxd.url, c) for c in tf.cases])
                print(f"{os.path.basename(tf.path)}: {len(tf.cases)} cases")
        finally:
            influxd.stop()


if __name__ == "__main__":
    sys.exit(main())
