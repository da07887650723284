#!/usr/bin/env python3
"""The real `influx` shell (package influxdb-client) against zhizao: /ping, SHOW, INSERT, SELECT.

Skips, saying so, when /usr/bin/influx is not installed. Usage: influx_shell_test.py PATH_TO_ZHIZAO
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

import serve_test
from serve_test import TOKEN, Server

INFLUX = "/usr/bin/influx"
DATA = (b"press,line=l1 temp=61.5,count=7i 1672531200000000000\n"
        b"press,line=l1 temp=62.25,count=8i 1672531260000000000\n"
        b"press,line=l2 temp=70,count=1i 1672531200000000000\n")


@unittest.skipUnless(os.access(INFLUX, os.X_OK), f"{INFLUX} is not installed (apt-get install influxdb-client)")
class InfluxShellTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="zz-influx-shell-")
        config = os.path.join(cls.tmp.name, "zhizao.toml")
        with open(config, "w") as f:
            f.write("[sim]\nenabled = false\n")
        cls.server = Server(os.path.join(cls.tmp.name, "data"), extra_args=("--config", config))
        cls.port = urllib.parse.urlparse(cls.server.url).port
        status, _, body = serve_test.http("POST", cls.server.url + "write?db=test", TOKEN, DATA)
        assert status == 204, body

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def shell(self, command, *options, password=TOKEN):
        args = [INFLUX, "-host", "127.0.0.1", "-port", str(self.port), "-username", "admin", "-password", password,
                "-database", "test", *options, "-execute", command]
        return subprocess.run(args, capture_output=True, text=True, timeout=30)

    def test_show_databases_in_columns(self):
        r = self.shell("SHOW DATABASES")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[:3], ["name: databases", "name", "----"])
        self.assertIn("test", lines[3:])

    def test_select_as_json(self):
        r = self.shell("SELECT temp, count FROM press WHERE line = 'l1'", "-format", "json", "-precision", "rfc3339")
        self.assertEqual(r.returncode, 0, r.stderr)
        answer = json.loads(r.stdout)
        self.assertEqual(answer["results"][0]["series"], [{
            "name": "press", "columns": ["time", "temp", "count"],
            "values": [["2023-01-01T00:00:00Z", 61.5, 7], ["2023-01-01T00:01:00Z", 62.25, 8]]}])

    def test_aggregate_as_csv(self):
        r = self.shell("SELECT mean(temp) FROM press GROUP BY line", "-format", "csv")
        self.assertEqual(r.returncode, 0, r.stderr)
        # The shell prints numbers as the JSON spelled them: 70, not 70.0, as from InfluxDB.
        self.assertEqual(r.stdout.splitlines(), ["name,tags,time,mean", "press,line=l1,0,61.875",
                                                 "name,tags,time,mean", "press,line=l2,0,70"])

    def test_select_in_columns(self):
        r = self.shell("SELECT temp FROM press WHERE line = 'l2'")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), ["name: press", "time                temp", "----                ----",
                                                 "1672531200000000000 70"])

    def test_insert_then_select(self):
        r = self.shell("INSERT shell,site=s1 level=3.5 1672531200000000000")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = self.shell("SELECT level, site FROM shell", "-format", "csv")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), ["name,time,level,site", "shell,1672531200000000000,3.5,s1"])

    def test_wrong_password_fails(self):
        r = self.shell("SHOW DATABASES", password="not-the-token-at-all")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("token", (r.stdout + r.stderr).lower())


if __name__ == "__main__":
    serve_test.ZHIZAO = os.path.abspath(sys.argv.pop(1))
    if not os.access(INFLUX, os.X_OK):
        print(f"SKIP: {INFLUX} is not installed; the influx shell tests do not run", file=sys.stderr)
    unittest.main(verbosity=2)
