#!/usr/bin/env python3
"""zhizao's own REST API on the real binary: catalog writes, series reads, the API document.

Creates assets and tags through /api/v1, writes points with InfluxDB line protocol (/write,
`db` = a root asset), reads them back through /api/v1/series/{range,aggregate} and InfluxQL,
then updates and deletes, and checks the error answers.

Usage: rest_test.py PATH_TO_ZHIZAO
"""
import json
import os
import sys
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request

import serve_test
from serve_test import TOKEN, Server, http

T0 = 1795860000  # 2026-11-28T10:00:00Z, in seconds


def request(server, method, path, body=None, content_type="application/json", token=TOKEN):
    """Returns (status, headers, parsed JSON or None); body: dict/list (sent as JSON), str or bytes."""
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    if isinstance(data, str):
        data = data.encode()
    req = urllib.request.Request(server.url.rstrip("/") + path, data=data, method=method)
    if token:
        req.add_header("Authorization", "Token " + token)
    if data is not None and content_type:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, headers, raw = r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        status, headers, raw = e.code, dict(e.headers), e.read()
    return status, headers, (json.loads(raw) if raw else None)


def write_lines(server, db, text):
    q = urllib.parse.urlencode({"db": db, "precision": "s"})
    return request(server, "POST", "/write?" + q, text, content_type="text/plain")


class RestTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="zz-rest-")
        config = os.path.join(cls.tmp.name, "zhizao.toml")
        with open(config, "w") as f:
            f.write("[sim]\nenabled = false\n[query]\nmax_points_scanned = 2000\n")
        cls.server = Server(os.path.join(cls.tmp.name, "data"), extra_args=("--config", config))
        # Series data for the read tests: 10 minutes at 1 s into database "plant", made by line
        # protocol (so ingest knows the tags whatever the API wiring).
        lines = "".join(f"line1 flow={i}.5,speed={2 * i}i {T0 + i}\n" for i in range(600))
        status, _, body = write_lines(cls.server, "plant", lines)
        assert status == 204, (status, body)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def call(self, method, path, body=None, want=200, **kw):
        status, headers, parsed = request(self.server, method, path, body, **kw)
        self.assertEqual(status, want, f"{method} {path}: {parsed}")
        return parsed

    # --- The API document ---

    def test_openapi_document_is_public_and_describes_the_routes(self):
        status, headers, doc = request(self.server, "GET", "/api/v1/openapi.json", token=None)
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        self.assertEqual(doc["openapi"], "3.1.0")
        for path, method in (("/api/v1/series/range", "get"), ("/api/v1/series/aggregate", "get"),
                             ("/api/v1/tags/{id}", "put"), ("/api/v1/assets", "post"), ("/write", "post"),
                             ("/query", "get"), ("/ping", "head"), ("/metrics", "get")):
            self.assertIn(method, doc["paths"][path], path)

    # --- Series reads ---

    def test_range_pages_through_the_samples(self):
        window = urllib.parse.urlencode({"from": "2026-11-28T10:00:00Z", "to": str((T0 + 599) * 1000)})
        page = self.call("GET", "/api/v1/series/range?tag=plant/line1/flow&limit=250&" + window)
        self.assertEqual(page["count"], 250)
        self.assertEqual(page["samples"][0], {"time": "2026-11-28T10:00:00Z", "value": 0.5, "quality": "good", "status": 0})
        seen = page["count"]
        while page["next"] is not None:
            page = self.call("GET", "/api/v1/series/range?tag=plant/line1/flow&limit=250&" + window +
                             "&cursor=" + page["next"]["cursor"])
            seen += page["count"]
        self.assertEqual(seen, 600)
        ints = self.call("GET", "/api/v1/series/range?tag=plant/line1/speed&epoch=ms&limit=2&" + window)
        self.assertEqual(ints["samples"][1]["time"], (T0 + 1) * 1000)
        self.assertEqual(ints["samples"][1]["value"], 2)

    def test_windowed_aggregates_and_decimation(self):
        window = "from=2026-11-28T10:00:00Z&to=2026-11-28T10:09:59Z"
        agg = self.call("GET", "/api/v1/series/aggregate?tags=plant/line1/flow,plant/line1/speed&window=1m"
                               "&fn=mean,max,percentile:95&" + window)
        flow = agg["series"][0]["rows"]
        self.assertEqual(len(flow), 10)
        self.assertEqual(flow[0]["samples"], 60)
        self.assertEqual(flow[0]["non_good"], 0)
        self.assertEqual(flow[0]["bad"], 0)
        self.assertEqual(flow[0]["values"]["max"], 59.5)
        self.assertEqual(flow[0]["values"]["mean"], 30.0)
        self.assertEqual(agg["series"][1]["rows"][9]["values"]["max"], 1198)
        combined = self.call("GET", "/api/v1/series/aggregate?tags=plant/line1/flow,plant/line1/speed&window=10m"
                                    "&fn=count&combined=true&" + window)
        self.assertEqual(combined["combined"][0]["values"]["count"], 1200)
        chart = self.call("GET", "/api/v1/series/aggregate?tags=plant/line1/flow&points=20&" + window)
        series = chart["series"][0]
        self.assertLessEqual(len(series["buckets"]), 20)
        self.assertEqual(sum(b["samples"] for b in series["buckets"]), 600)
        values = [p["value"] for p in series["points"]]
        self.assertIn(0.5, values)    # the extremes survive decimation
        self.assertIn(599.5, values)

    def test_series_errors(self):
        for path, want, code in (
                ("/api/v1/series/range?from=now-1h", 400, "invalid_argument"),
                ("/api/v1/series/range?tag=plant/line1/flow&from=yesterday", 400, "invalid_argument"),
                ("/api/v1/series/range?tag=plant/line1/nope", 404, "not_found"),
                ("/api/v1/series/range?tag=plant/line1/flow&from=now&to=now-1h", 422, "out_of_range"),
                ("/api/v1/series/aggregate?tags=plant/line1/flow", 400, "invalid_argument"),
                ("/api/v1/series/aggregate?tags=plant/line1/flow&window=1m&fn=avg", 400, "invalid_argument"),
                ("/api/v1/series/aggregate?tags=plant/line1/flow&window=1ns&from=0&to=now", 422, "out_of_range")):
            body = self.call("GET", path, want=want)
            self.assertEqual(body["error"]["code"], code, path)
        self.assertTrue(self.call("GET", "/api/v1/series/range?tag=plant/line1/flow&limit=0", want=400)
                        ["error"]["message"].startswith("parameter limit"))

    def test_query_cost_limit_of_the_config_names_itself(self):
        # [query] max_points_scanned = 2000: 2,500 samples are too many.
        lines = "".join(f"line2 level={i} {T0 + i}\n" for i in range(2500))
        self.assertEqual(write_lines(self.server, "plant", lines)[0], 204)
        window = "from=2026-11-28T10:00:00Z&to=2026-11-28T11:00:00Z"
        body = self.call("GET", "/api/v1/series/aggregate?tags=plant/line2/level&window=1h&fn=count&" + window, want=422)
        self.assertIn("max_points_scanned", body["error"]["message"])
        q = urllib.parse.urlencode({"db": "plant", "q": "SELECT count(level) FROM line2"})
        status, _, body = request(self.server, "GET", "/query?" + q)
        self.assertIn("max_points_scanned", json.dumps(body), (status, body))

    # --- Catalog writes ---

    def make_tree(self, root):
        self.call("POST", "/api/v1/assets", {"path": root, "level": "enterprise"}, want=201)
        return self.call("POST", "/api/v1/assets", {"path": root + "/line1", "level": "site", "kind": "packaging"}, want=201)

    def test_created_tags_take_line_protocol_writes_at_once(self):
        self.make_tree("acme")
        tag = self.call("POST", "/api/v1/tags", {"path": "acme/line1/flow", "unit": "m3/h"}, want=201)
        status, _, body = write_lines(self.server, "acme", f"line1 flow=3.5 {T0}\nline1 flow=4.5 {T0 + 1}\n")
        self.assertEqual(status, 204, body)
        page = self.call("GET", f"/api/v1/series/range?tag={tag['id']}&from={T0 * 1000}&to={(T0 + 1) * 1000}")
        self.assertEqual([s["value"] for s in page["samples"]], [3.5, 4.5])
        self.assertEqual(page["unit"], "m3/h")

    def test_create_update_delete_and_influxql_sees_them(self):
        line = self.make_tree("corp")
        made = self.call("POST", "/api/v1/tags", {"tags": [
            {"path": "corp/line1/temp", "unit": "degC", "range": {"lo": -20, "hi": 150}},
            {"asset_id": line["id"], "name": "count", "data_type": "int64"}]}, want=201)
        self.assertEqual(made["count"], 2)
        temp, count = made["tags"]
        self.assertEqual(count["path"], "corp/line1/count")
        # InfluxQL lists them under their derived names: database corp, measurement line1.
        q = urllib.parse.urlencode({"q": "SHOW FIELD KEYS FROM line1", "db": "corp"})
        _, _, shown = request(self.server, "GET", "/query?" + q)
        fields = [v[0] for v in shown["results"][0]["series"][0]["values"]]
        self.assertEqual(sorted(fields), ["count", "temp"])
        # pretty=true: the same answer, indented for a person.
        req = urllib.request.Request(self.server.url.rstrip("/") + "/query?pretty=true&" + q)
        req.add_header("Authorization", "Token " + TOKEN)
        with urllib.request.urlopen(req, timeout=30) as r:
            pretty = r.read().decode()
        self.assertIn('{\n    "results": [', pretty)
        self.assertEqual(json.loads(pretty), shown)

        renamed = self.call("PUT", f"/api/v1/tags/{temp['id']}", dict(temp, path="corp/line1/temperature", name="temperature"))
        self.assertEqual(renamed["id"], temp["id"])
        self.assertEqual(renamed["range"], {"lo": -20.0, "hi": 150.0})
        self.assertEqual(self.call("GET", f"/api/v1/tags/{temp['id']}")["name"], "temperature")
        _, _, shown = request(self.server, "GET", "/query?" + q)
        self.assertEqual(sorted(v[0] for v in shown["results"][0]["series"][0]["values"]), ["count", "temperature"])

        asset = self.call("PUT", f"/api/v1/assets/{line['id']}", {"level": "site", "kind": "assembly"})
        self.assertEqual(asset["kind"], "assembly")
        self.assertEqual(self.call("DELETE", f"/api/v1/assets/{line['id']}", want=409)["error"]["code"],
                         "failed_precondition")
        self.call("DELETE", f"/api/v1/tags/{temp['id']}", want=204)
        self.call("DELETE", f"/api/v1/tags/{count['id']}", want=204)
        self.call("GET", f"/api/v1/tags/{temp['id']}", want=404)
        self.call("DELETE", f"/api/v1/assets/{line['id']}", want=204)
        self.call("DELETE", f"/api/v1/assets/{line['id']}", want=404)

    def test_catalog_write_errors(self):
        self.make_tree("errs")
        self.assertEqual(self.call("POST", "/api/v1/assets", {"path": "errs/line1", "level": "site"}, want=409)
                         ["error"]["code"], "already_exists")
        bad_json = self.call("POST", "/api/v1/tags", '{"path": "errs/line1/x", ', want=400)
        self.assertIn("line 1, column", bad_json["error"]["message"])
        self.call("POST", "/api/v1/tags", '{"path": "errs/line1/x"}', content_type="text/plain", want=415)
        invalid = self.call("POST", "/api/v1/tags", {"tags": [{"path": "errs/line1/x"},
                                                               {"path": "errs/line1/y", "data_type": "float"}]}, want=422)
        self.assertTrue(invalid["error"]["message"].startswith("$.tags[1].data_type"), invalid)
        self.assertEqual(self.call("GET", "/api/v1/tags?path=errs/*")["count"], 0)  # all or none
        self.call("PUT", "/api/v1/tags/999999", {"path": "errs/line1/x"}, want=404)
        status, _, _ = request(self.server, "POST", "/api/v1/assets", {"path": "errs/z", "level": "site"}, token=None)
        self.assertEqual(status, 401)


if __name__ == "__main__":
    serve_test.ZHIZAO = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
