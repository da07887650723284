#!/usr/bin/env python3
"""The client commands on the real binary against a real server: `zhizao write`, `query`,
`export` and `import`, and the errors they report.

Usage: cli_test.py PATH_TO_ZHIZAO
"""
import csv
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import unittest

import serve_test
from serve_test import TOKEN, Server

LP = (b"# two machines, two fields\n"
      b"press,line=l1 temp=61.5,count=7i 1700000000\n"
      b"\n"
      b"press,line=l1 temp=62.25,count=8i 1700000001\n"
      b"press,line=l2 temp=70 1700000000\n"
      b"press,line=l2 temp=71.125 1700000002\n")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="zz-cli-")
        config = os.path.join(cls.tmp.name, "zhizao.toml")
        with open(config, "w") as f:
            f.write("[sim]\nenabled = false\n")
        cls.server = Server(os.path.join(cls.tmp.name, "data"), extra_args=("--config", config))
        cls.env = {"ZHIZAO_URL": cls.server.url.rstrip("/"), "ZHIZAO_TOKEN": TOKEN}

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def zz(self, *args, stdin=None, env=None):
        """Runs zhizao with the server's URL and token in the environment."""
        full = {k: v for k, v in os.environ.items() if not k.startswith("ZHIZAO_")}
        full.update(self.env if env is None else env)
        return subprocess.run([serve_test.ZHIZAO, *args], input=stdin, capture_output=True, text=True,
                              env=full, timeout=60)

    def file(self, name, data):
        path = os.path.join(self.tmp.name, name)
        with open(path, "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)
        return path

    def write_lp(self, db, *extra):
        r = self.zz("write", self.file(db + ".lp", LP), "--db", db, "--precision", "s", *extra)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "4 points written to %s\n" % db)

    def test_write_in_small_gzipped_batches_then_query_as_a_table(self):
        self.write_lp("cli", "--batch-bytes", "64", "--gzip")
        r = self.zz("query", "SELECT temp, count FROM press WHERE line = 'l1'", "--db", "cli")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout,
                         "name: press\n"
                         "time                 temp  count\n"
                         "----                 ----  -----\n"
                         "2023-11-14T22:13:20Z 61.5  7\n"
                         "2023-11-14T22:13:21Z 62.25 8\n\n")

    def test_query_csv_has_a_block_per_series_and_reads_stdin(self):
        self.write_lp("clicsv")
        r = self.zz("query", "-", "--db", "clicsv", "--format", "csv", "--epoch", "s",
                    stdin="SELECT temp FROM press GROUP BY line")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = list(csv.reader(io.StringIO(r.stdout)))
        self.assertEqual(rows, [["name", "tags", "time", "temp"],
                                ["press", "line=l1", "1700000000", "61.5"],
                                ["press", "line=l1", "1700000001", "62.25"],
                                ["press", "line=l2", "1700000000", "70"],
                                ["press", "line=l2", "1700000002", "71.125"]])

    def test_query_json_is_the_servers_answer(self):
        self.write_lp("clijson")
        r = self.zz("query", "SELECT temp FROM press WHERE line = 'l2'", "--db", "clijson", "--format", "json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout), {"results": [{"statement_id": 0, "series": [
            {"name": "press", "columns": ["time", "temp"],
             "values": [["2023-11-14T22:13:20Z", 70], ["2023-11-14T22:13:22Z", 71.125]]}]}]})

    def test_query_statement_error_goes_to_stderr_with_exit_1(self):
        r = self.zz("query", "SHOW DATABASES; SELECT x FROM nowhere_db..m", "--format", "table")
        self.assertEqual(r.returncode, 1)
        self.assertIn("name: databases", r.stdout)
        self.assertRegex(r.stderr, r"zhizao: query: statement 1: .+")

    def export(self, fmt, pattern="cliexp/press/*", to="2023-11-14T22:13:22Z"):
        r = self.zz("export", "--tags", pattern, "--from", "2023-11-14T22:13:20Z", "--to", to, "--format", fmt)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout

    def test_export_in_three_formats(self):
        self.write_lp("cliexp")
        rows = list(csv.DictReader(io.StringIO(self.export("csv"))))
        got = sorted((row["tag"], row["time"], row["value"]) for row in rows)
        self.assertEqual(got, [("cliexp/press/line-l1/count", "2023-11-14T22:13:20Z", "7"),
                               ("cliexp/press/line-l1/count", "2023-11-14T22:13:21Z", "8"),
                               ("cliexp/press/line-l1/temp", "2023-11-14T22:13:20Z", "61.5"),
                               ("cliexp/press/line-l1/temp", "2023-11-14T22:13:21Z", "62.25"),
                               ("cliexp/press/line-l2/temp", "2023-11-14T22:13:20Z", "70")])
        lp = sorted(self.export("lp").splitlines())
        self.assertEqual(lp, ["press,line=l1 count=7i 1700000000000000000",
                              "press,line=l1 count=8i 1700000001000000000",
                              "press,line=l1 temp=61.5 1700000000000000000",
                              "press,line=l1 temp=62.25 1700000001000000000",
                              "press,line=l2 temp=70 1700000000000000000"])
        doc = json.loads(self.export("json"))
        series = {s["tag"]: s for s in doc["series"]}
        self.assertEqual(series["cliexp/press/line-l1/count"]["data_type"], "int64")
        self.assertEqual(series["cliexp/press/line-l1/count"]["values"],
                         [["2023-11-14T22:13:20Z", 7], ["2023-11-14T22:13:21Z", 8]])
        self.assertEqual(series["cliexp/press/line-l2/temp"]["tags"], {"line": "l2"})
        self.assertEqual(series["cliexp/press/line-l2/temp"]["values"], [["2023-11-14T22:13:20Z", 70.0]])

    def test_export_line_protocol_writes_back_the_same(self):
        self.write_lp("cliround")
        lp = self.export("lp", "cliround/*")
        r = self.zz("write", "-", "--db", "cliround2", stdin=lp)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.export("lp", "cliround2/*"), lp)

    def test_export_of_no_tag_fails(self):
        r = self.zz("export", "--tags", "nothing/*", "--from", "2023-01-01T00:00:00Z", "--to", "2024-01-01T00:00:00Z")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no tag matches nothing/*", r.stderr)

    def test_import_csv_then_query(self):
        path = self.file("machines.csv",
                         "time,line|tag,temp,count|int,state|string\r\n"
                         "2023-11-14T22:13:20Z,l1,61.5,7,\"run, fast\"\r\n"
                         "1700000001,l1,,8,\r\n"
                         "1700000002,\"l 2\",70,,idle\r\n")
        r = self.zz("import", path, "--db", "cliimp", "--measurement", "press", "--precision", "s")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "3 points written to cliimp\n")
        r = self.zz("query", "SELECT * FROM press GROUP BY line", "--db", "cliimp", "--format", "json")
        series = json.loads(r.stdout)["results"][0]["series"]
        self.assertEqual(series[0]["tags"], {"line": "l 2"})
        self.assertEqual(series[0]["values"], [["2023-11-14T22:13:22Z", None, "idle", 70]])
        self.assertEqual(series[1]["columns"], ["time", "count", "state", "temp"])
        self.assertEqual(series[1]["values"], [["2023-11-14T22:13:20Z", 7, "run, fast", 61.5],
                                               ["2023-11-14T22:13:21Z", 8, None, None]])

    def post(self, path, body):
        status, _, answer = self.server.post(path, body)
        self.assertEqual(status, 201, answer)

    def test_import_names_catalog_tags_by_path_in_the_header(self):
        # Tags of the catalog's own (not made by line protocol), of three types.
        self.post("/api/v1/assets", {"path": "cliplant", "level": "enterprise"})
        self.post("/api/v1/assets", {"path": "cliplant/line1", "level": "site"})
        self.post("/api/v1/tags", {"tags": [{"path": "cliplant/line1/flow"},
                                            {"path": "cliplant/line1/count", "data_type": "int64"},
                                            {"path": "cliplant/line1/running", "data_type": "bool"}]})
        path = self.file("bypath.csv",
                         "time,cliplant/line1/flow,cliplant/line1/count,cliplant/line1/running\n"
                         "2023-11-14T22:13:20Z,12.5,3,true\n"
                         "1700000001,,4,f\n")
        r = self.zz("import", path, "--precision", "s")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "5 points written to cliplant\n")
        doc = json.loads(self.export("json", "cliplant/line1/*"))
        values = {s["tag"]: s["values"] for s in doc["series"]}
        self.assertEqual(values, {
            "cliplant/line1/flow": [["2023-11-14T22:13:20Z", 12.5]],
            "cliplant/line1/count": [["2023-11-14T22:13:20Z", 3], ["2023-11-14T22:13:21Z", 4]],
            "cliplant/line1/running": [["2023-11-14T22:13:20Z", True], ["2023-11-14T22:13:21Z", False]]})
        # A cell that is not its tag's type, and a path that names no tag: nothing is sent.
        bad = self.file("bypath_bad.csv", "time,cliplant/line1/count\n1700000005,1.5\n")
        r = self.zz("import", bad, "--precision", "s")
        self.assertEqual(r.returncode, 1)
        self.assertIn('row 2, column 2 (cliplant/line1/count): "1.5" is not an integer', r.stderr)
        r = self.zz("import", self.file("nopath.csv", "time,cliplant/line1/none\n1700000005,1\n"), "--precision", "s")
        self.assertEqual(r.returncode, 1)
        self.assertIn("row 1, column 2: no tag cliplant/line1/none", r.stderr)
        self.assertEqual(len(json.loads(self.export("json", "cliplant/line1/count"))["series"][0]["values"]), 2)

    def test_import_reads_back_what_export_wrote(self):
        # export's CSV (time,tag,value) names each row's tag by path, line-protocol tags included.
        self.write_lp("cliback")
        exported = self.export("csv", "cliback/*")
        later = exported.replace("2023-11-14T22:13:2", "2023-11-15T22:13:2")
        self.assertNotEqual(later, exported)
        r = self.zz("import", self.file("back.csv", later))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "5 points written to cliback\n")
        rows = list(csv.DictReader(io.StringIO(self.export("csv", "cliback/*", to="2023-11-16T00:00:00Z"))))
        self.assertEqual(len(rows), 6 + 5)  # the six written, the five exported moved a day on
        self.assertIn({"time": "2023-11-15T22:13:21Z", "tag": "cliback/press/line-l1/count", "value": "8"}, rows)
        r = self.zz("import", self.file("back_bad.csv", "time,tag,value\n2023-11-15T00:00:00Z,cliback/press/line-l1/count,x\n"))
        self.assertEqual(r.returncode, 1)
        self.assertIn('row 2: "x" is not an integer (tag cliback/press/line-l1/count)', r.stderr)

    def test_import_without_measurement_or_paths_says_what_to_give(self):
        r = self.zz("import", self.file("plain.csv", "time,temp\n1,2\n"), "--db", "x")
        self.assertEqual(r.returncode, 1)
        self.assertIn("give --measurement or a measurement column", r.stderr)
        r = self.zz("import", self.file("plain2.csv", "time,temp\n1,2\n"), "--measurement", "m")
        self.assertEqual(r.returncode, 1)
        self.assertIn("give --db", r.stderr)

    def test_malformed_csv_names_row_and_column_and_sends_nothing(self):
        path = self.file("bad.csv", "time,temp\n1700000000,1\n1700000001,abc\n")
        r = self.zz("import", path, "--db", "clibad", "--measurement", "m", "--precision", "s")
        self.assertEqual(r.returncode, 1)
        self.assertIn('row 3, column 2 (temp): "abc" is not a number', r.stderr)
        r = self.zz("import", self.file("ragged.csv", "time,a,b\n1,2,3\n4,5\n"), "--db", "clibad", "--measurement", "m")
        self.assertEqual(r.returncode, 1)
        self.assertIn("row 3: 2 cells, the header has 3", r.stderr)
        r = self.zz("query", "SHOW DATABASES", "--format", "csv")
        self.assertNotIn("clibad", r.stdout)

    def test_partial_write_prints_each_bad_line_by_its_number_in_the_file(self):
        body = "m,d=a v=1 1\nnot line protocol\n\nm,d=a v=2 2\nm,d=a v=\"str\" 3\n"
        r = self.zz("write", self.file("partial.lp", body), "--db", "clipartial", "--batch-bytes", "30")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "2 points written to clipartial\n")
        self.assertIn("line 2: unable to parse 'not line protocol'", r.stderr)
        self.assertRegex(r.stderr, r"line 5: .*type")
        self.assertIn("partial write: 2 lines rejected", r.stderr)

    def test_connection_refused_names_the_url(self):
        url = "http://127.0.0.1:%d" % free_port()
        for args in (("query", "SHOW DATABASES"), ("write", "-", "--db", "x"),
                     ("export", "--tags", "*", "--from", "2023-01-01T00:00:00Z", "--to", "2023-01-02T00:00:00Z")):
            r = self.zz(*args, "--url", url, stdin="m v=1 1\n")
            self.assertEqual(r.returncode, 1, args)
            self.assertIn("cannot connect to " + url, r.stderr)

    def test_bad_url_and_bad_flags_are_usage_errors(self):
        r = self.zz("query", "SHOW DATABASES", "--url", "https://example.invalid")
        self.assertEqual(r.returncode, 2)
        self.assertIn("must start with http://", r.stderr)
        r = self.zz("query", "SHOW DATABASES", "--format", "xml")
        self.assertEqual(r.returncode, 2)
        r = self.zz("write", "-")  # no --db
        self.assertEqual(r.returncode, 2)

    def test_wrong_or_missing_token_says_to_set_zhizao_token(self):
        for env in ({"ZHIZAO_URL": self.env["ZHIZAO_URL"], "ZHIZAO_TOKEN": "wrong-token-wrong-token"},
                    {"ZHIZAO_URL": self.env["ZHIZAO_URL"]}):
            r = self.zz("query", "SHOW DATABASES", env=env)
            self.assertEqual(r.returncode, 1)
            self.assertIn("set ZHIZAO_TOKEN", r.stderr)
        r = self.zz("write", "-", "--db", "x", "--token", "wrong-token-wrong-token", stdin="m v=1 1\n")
        self.assertEqual(r.returncode, 1)
        self.assertIn("401", r.stderr)

    def test_timeout_is_reported(self):
        with socket.socket() as silent:  # accepts connections and never answers
            silent.bind(("127.0.0.1", 0))
            silent.listen(1)
            url = "http://127.0.0.1:%d" % silent.getsockname()[1]
            r = self.zz("query", "SHOW DATABASES", "--url", url, "--timeout", "0.5")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no answer from " + url + " within 0.5 s", r.stderr)


if __name__ == "__main__":
    serve_test.ZHIZAO = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
