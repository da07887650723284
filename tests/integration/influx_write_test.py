#!/usr/bin/env python3
"""InfluxDB's write API on the real binary: POST /write (1.x), POST /api/v2/write (2.x), /ping.

Usage: influx_write_test.py PATH_TO_ZHIZAO
"""
import base64
import gzip
import json
import os
import sys
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPConnection

import serve_test
from serve_test import TOKEN, Server, http


def write(server, path, body, headers=None, token=None):
    """POSTs body (bytes) to path; returns (status, headers, parsed JSON or None)."""
    req = urllib.request.Request(server.url.rstrip("/") + path, data=body, method="POST")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    if token:
        req.add_header("Authorization", "Token " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, hdrs, raw = r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        status, hdrs, raw = e.code, dict(e.headers), e.read()
    return status, hdrs, (json.loads(raw) if raw else None)


def last(server, *paths):
    _, _, body = server.get("/api/v1/series/last?tags=" + ",".join(paths))
    return {v["tag"]: v for v in json.loads(body)["values"]}


class InfluxWriteTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.server = Server(cls.tmp.name, extra_args=("--config", cls._config(cls.tmp.name)))

    @classmethod
    def _config(cls, tmp):
        path = os.path.join(tmp, "zhizao.toml")
        with open(path, "w") as f:
            f.write("[server]\nmax_body_bytes = 1048576\n[sim]\nenabled = false\n")
        return path

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def test_v1_write_with_u_and_p_creates_tags_and_stores_points(self):
        q = urllib.parse.urlencode({"db": "plant", "precision": "s", "u": "telegraf", "p": TOKEN})
        body = b"press,line=l1 temp=61.5,count=7i 1700000000\npress,line=l1 temp=62.25,count=8i 1700000001\n"
        status, headers, _ = write(self.server, "/write?" + q, body)
        self.assertEqual(status, 204)
        self.assertEqual(headers.get("X-Influxdb-Version"), "1.8.10")
        values = last(self.server, "plant/press/line-l1/temp", "plant/press/line-l1/count")
        self.assertEqual(values["plant/press/line-l1/temp"]["value"], 62.25)
        self.assertEqual(values["plant/press/line-l1/temp"]["time"], "2023-11-14T22:13:21Z")
        self.assertEqual(values["plant/press/line-l1/count"]["value"], 8)
        _, _, tags = self.server.get("/api/v1/tags?path=plant/press/*")
        types = {t["path"]: t["data_type"] for t in json.loads(tags)["tags"]}
        self.assertEqual(types, {"plant/press/line-l1/temp": "float64", "plant/press/line-l1/count": "int64"})

    def test_basic_credentials_as_the_influx_shell_sends_them(self):
        basic = base64.b64encode(("admin:" + TOKEN).encode()).decode()
        status, _, _ = write(self.server, "/write?db=shell", b"m v=1 1", {"Authorization": "Basic " + basic})
        self.assertEqual(status, 204)

    def test_v2_write_gzip_bucket_with_retention_policy(self):
        body = gzip.compress(b"flow,pump=p1 value=12.5 1700000000000\n")
        status, _, _ = write(self.server, "/api/v2/write?org=acme&bucket=v2db/autogen&precision=ms", body,
                             {"Content-Encoding": "gzip"}, token=TOKEN)
        self.assertEqual(status, 204)
        self.assertEqual(last(self.server, "v2db/flow/pump-p1/value")["v2db/flow/pump-p1/value"]["value"], 12.5)

    def test_partial_write_is_400_naming_each_bad_line_and_keeps_the_good(self):
        body = b"m,d=a v=1 1700000000\nnot line protocol\nm,d=a v=\"text\" 1700000001\nm,d=a v=3 1700000002\n"
        status, _, err = write(self.server, "/write?db=partial&precision=s", body, token=TOKEN)
        self.assertEqual(status, 400)
        self.assertEqual(err["error"],
                         "partial write: line 2: unable to parse 'not line protocol': invalid field format\n"
                         "line 3: field type conflict: input field \"v\" on measurement \"m\" is type string, "
                         "already exists as type float dropped=2")
        self.assertEqual(last(self.server, "partial/m/d-a/v")["partial/m/d-a/v"]["value"], 3)
        status, _, err = write(self.server, "/api/v2/write?bucket=partial&precision=s", b"oops", token=TOKEN)
        self.assertEqual(status, 400)
        self.assertEqual(err["code"], "invalid")
        self.assertIn("line 1: unable to parse 'oops'", err["message"])

    def test_errors_in_influxdbs_shapes(self):
        status, _, err = write(self.server, "/write", b"m v=1", token=TOKEN)
        self.assertEqual((status, err), (400, {"error": "database is required"}))
        status, _, err = write(self.server, "/api/v2/write", b"m v=1", token=TOKEN)
        self.assertEqual((status, err), (400, {"code": "invalid", "message": "bucket is required"}))
        status, _, err = write(self.server, "/write?db=x&precision=fortnight", b"m v=1", token=TOKEN)
        self.assertEqual(status, 400)
        self.assertIn("invalid precision", err["error"])
        status, _, err = write(self.server, "/write?db=x&u=a&p=wrong", b"m v=1")
        self.assertEqual((status, err), (401, {"error": "invalid token"}))
        status, _, err = write(self.server, "/write?db=x", b"m v=1", {"Content-Encoding": "br"}, token=TOKEN)
        self.assertEqual(status, 415)
        status, _, err = write(self.server, "/write?db=x", b"\x1f\x8b not gzip", {"Content-Encoding": "gzip"},
                               token=TOKEN)
        self.assertEqual(status, 400)
        status, _, err = write(self.server, "/write?db=bad/name", b"m v=1", token=TOKEN)
        self.assertEqual(status, 400)
        self.assertIn("database name 'bad/name'", err["error"])

    def test_a_gzip_bomb_is_413_and_the_server_keeps_serving(self):
        bomb = gzip.compress(b"m v=1 1\n" * (4 << 20), compresslevel=9)  # 32 MiB of lines, ~100 KiB gzipped
        self.assertLess(len(bomb), 1 << 20)
        status, _, err = write(self.server, "/write?db=bomb", bomb, {"Content-Encoding": "gzip"}, token=TOKEN)
        self.assertEqual(status, 413)
        self.assertIn("larger than 1048576 bytes", err["error"])
        self.assertEqual(self.server.get("/healthz")[0], 200)

    def test_errors_before_the_route_also_name_the_influxdb_version(self):
        # Refused from Content-Length by the server before any route runs, and by the
        # authorization seam: InfluxDB clients read the header on every answer.
        # Only the headers are sent: the server answers before the body, and closes.
        url = urllib.parse.urlsplit(self.server.url)
        conn = HTTPConnection(url.hostname, url.port, timeout=30)
        conn.putrequest("POST", "/write?db=big")
        conn.putheader("Authorization", "Token " + TOKEN)
        conn.putheader("Content-Length", str(2 << 20))
        conn.endheaders()
        answer = conn.getresponse()
        self.assertEqual(answer.status, 413)
        self.assertIn("larger than 1048576 bytes", json.loads(answer.read())["error"])
        self.assertEqual(answer.getheader("X-Influxdb-Version"), "1.8.10")
        conn.close()
        for path in ("/write?db=x&u=a&p=wrong", "/api/v2/write?bucket=x"):
            status, headers, _ = write(self.server, path, b"m v=1", {"Authorization": "Token wrong"})
            self.assertEqual(status, 401, path)
            self.assertEqual(headers.get("X-Influxdb-Version"), "1.8.10", path)
        # A target that does not parse (a bad percent escape) is refused before routing too, in
        # the shape of the route its path names.
        status, headers, err = write(self.server, "/write?db=%zz", b"m v=1", token=TOKEN)
        self.assertEqual(status, 400)
        self.assertIn("percent", err["error"])
        self.assertEqual(headers.get("X-Influxdb-Version"), "1.8.10")
        status, headers, err = write(self.server, "/api/v1/tags?q=%zz", b"", token=TOKEN)
        self.assertEqual(status, 400)
        self.assertEqual(err["error"]["code"], "invalid_argument")
        self.assertIsNone(headers.get("X-Influxdb-Version"))

    def test_ping_answers_influx_clients(self):
        status, headers, _ = http("GET", self.server.url + "ping")
        self.assertEqual(status, 204)
        self.assertEqual(headers.get("X-Influxdb-Version"), "1.8.10")

    def test_tags_and_points_survive_a_restart(self):
        tmp = tempfile.TemporaryDirectory()
        try:
            config = self._config(tmp.name)
            server = Server(tmp.name, extra_args=("--config", config))
            status, _, _ = write(server, "/write?db=keep&precision=s", b"m,d=a v=1 1700000000", token=TOKEN)
            self.assertEqual(status, 204)
            self.assertEqual(server.stop(), 0)
            server = Server(tmp.name, extra_args=("--config", config))
            try:
                status, _, _ = write(server, "/write?db=keep&precision=s", b"m,d=a v=2 1700000001", token=TOKEN)
                self.assertEqual(status, 204)
                self.assertEqual(last(server, "keep/m/d-a/v")["keep/m/d-a/v"]["value"], 2)
                _, _, tags = server.get("/api/v1/tags?path=keep/*")
                self.assertEqual(json.loads(tags)["count"], 1)
            finally:
                server.stop()
        finally:
            tmp.cleanup()


if __name__ == "__main__":
    serve_test.ZHIZAO = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
