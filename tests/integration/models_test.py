#!/usr/bin/env python3
"""The model registry end to end, as a user drives it: backfill a few hours of the simulated
plant, serve it, train a multivariate model of one pump with `zhizao model train`, write its
card, activate, train again, roll back, replay it with `zhizao analyze`, and the errors.

Usage: models_test.py PATH_TO_ZHIZAO
"""
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

import serve_test
from serve_test import TOKEN, Server, http

HOURS = 3          # of backfilled history, ending when the server starts
TRAIN_HOURS = 2    # the first two are for training, the last for analysis
# Numeric tags of a centrifugal pump that move with its duty (sim/internal/pump.cc).
PUMP_TAGS = ("flow", "discharge_pressure", "motor_current", "motor_power", "bearing_temp_de", "vibration_rms")


def rfc3339(epoch_s):
    return datetime.datetime.fromtimestamp(epoch_s, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def type_ok(value, name):
    return {"null": value is None, "boolean": isinstance(value, bool), "string": isinstance(value, str),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
            "array": isinstance(value, list), "object": isinstance(value, dict)}[name]


def violation(doc, value, schema, path="$"):
    """The first way `value` breaks `schema` of the API document, or "" (the subset and the
    strictness of tests/api/json_schema.h: properties without additionalProperties admit no more)."""
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "oneOf" in schema:
        matches = sum(1 for s in schema["oneOf"] if not violation(doc, value, s, path))
        return "" if matches == 1 else "%s: matches %d of oneOf" % (path, matches)
    types = schema.get("type")
    if types is not None and not any(type_ok(value, t) for t in (types if isinstance(types, list) else [types])):
        return "%s: expected %s, got %r" % (path, types, value)
    if "enum" in schema and value not in schema["enum"]:
        return "%s: %r not in %s" % (path, value, schema["enum"])
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < schema.get("minimum", value) or value > schema.get("maximum", value):
            return "%s: %r out of range" % (path, value)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found = violation(doc, item, schema["items"], "%s[%d]" % (path, i))
            if found:
                return found
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                return "%s: %s is required" % (path, key)
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", False if properties else True)
        for key, item in value.items():
            sub = properties.get(key, extra)
            if sub is False:
                return "%s: %s is not documented" % (path, key)
            found = violation(doc, item, sub, path + "." + key) if isinstance(sub, dict) else ""
            if found:
                return found
    return ""


class ModelsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="zz-models-")
        data = os.path.join(cls.tmp.name, "data")
        cls.start = int(time.time()) - HOURS * 3600
        r = serve_test.run_zhizao("sim", "--days", str(HOURS / 24), "--start", rfc3339(cls.start), "--data-dir", data,
                                  timeout=120)
        if r.returncode != 0:
            raise AssertionError("backfill failed: " + r.stderr)
        cls.train_from = rfc3339(cls.start)
        cls.train_to = rfc3339(cls.start + TRAIN_HOURS * 3600)
        cls.server = Server(data)  # no config: the simulated plant runs on, live
        cls.env = {"ZHIZAO_URL": cls.server.url.rstrip("/"), "ZHIZAO_TOKEN": TOKEN}
        cls.doc = cls.call("GET", "/api/v1/openapi.json")[2]
        cls.asset, cls.tags, cls.constant_tags = cls.pick_pump()
        # A fault on the live pump, so that the replay has something to find (reported, not asserted:
        # this test is about the registry, docs/analytics scores the detection).
        status, _, cls.episode = cls.call("POST", "/api/v1/sim/faults", {
            "asset": cls.asset, "type": "cavitation", "duration_s": 60, "severity": 1.0})
        if status != 201:
            raise AssertionError("fault injection: %d %s" % (status, cls.episode))

    @classmethod
    def tearDownClass(cls):
        died = cls.server.proc.poll()
        if died is None:
            cls.server.stop()
        else:
            print("\nzhizao serve exited with %d:\n%s" % (died, cls.server.proc.stderr.read()[-3000:]), file=sys.stderr)
        cls.tmp.cleanup()

    @classmethod
    def call(cls, method, path, body=None):
        status, headers, raw = http(method, cls.server.url.rstrip("/") + path, TOKEN, body, timeout=60)
        return status, headers, (json.loads(raw) if raw else None)

    @classmethod
    def finished(cls, status, headers, answer):
        """A training not done within the server's wait answers 202 with its job: follow it, and
        answer as the request would have (201 with the version, or the refusal)."""
        while status == 202:
            time.sleep(0.2)
            _, _, answer = cls.call("GET", "/api/v1/jobs/%d" % answer["id"])
            if answer["state"] == "succeeded":
                return 201, headers, answer["result"]
            if answer["state"] in ("failed", "cancelled"):
                return answer["error"]["status"], headers, {"error": answer["error"]}
        return status, headers, answer

    @classmethod
    def pick_pump(cls):
        """The pump whose flow varies most over the training range, with its numeric duty tags; and
        any float tag that is constant there (for the refusal of a constant input)."""
        _, _, answer = cls.call("GET", "/api/v1/tags?limit=10000")
        floats = [t for t in answer["tags"] if t["data_type"] == "float64"]
        ids = ",".join(str(t["id"]) for t in floats)
        query = "/api/v1/series/aggregate?tags=%s&from=%s&to=%s&window=%ds&fn=stddev" % (
            ids, cls.train_from, cls.train_to, TRAIN_HOURS * 3600)
        status, _, stats = cls.call("GET", query)
        if status != 200:
            raise AssertionError("aggregate: %d %s" % (status, stats))
        spread = {}
        for series in stats["series"]:
            values = [row["values"]["stddev"] for row in series["rows"] if row["values"].get("stddev") is not None]
            spread[series["tag"]] = max(values) if values else None
        pumps = {}
        for path, sd in spread.items():
            asset, name = path.rsplit("/", 1)
            if name in PUMP_TAGS and sd:
                pumps.setdefault(asset, {})[name] = sd
        asset = max((a for a in pumps if len(pumps[a]) >= 4), key=lambda a: pumps[a].get("flow", 0))
        tags = [n for n in PUMP_TAGS if n in pumps[asset]][:5]
        constant = [p for p, sd in spread.items() if sd == 0]
        return asset, tags, constant

    def zz(self, *args):
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIZAO_")}
        env.update(self.env)
        return subprocess.run([serve_test.ZHIZAO, *args], capture_output=True, text=True, env=env, timeout=120)

    def train(self, model_id, *extra, tags=None, from_=None, to=None):
        return self.zz("model", "train", "--id", model_id, "--asset", self.asset, "--tags", ",".join(tags or self.tags),
                       "--from", from_ or self.train_from, "--to", to or self.train_to, "--step", "1s", *extra)

    def ok_json(self, result, schema=None):
        """The JSON a command printed; it must fit `schema`, a schema of the API document."""
        self.assertEqual(result.returncode, 0, result.stderr)
        answer = json.loads(result.stdout)
        if schema is not None:
            self.assertEqual(violation(self.doc, answer, schema), "")
        return answer

    def documented(self, path, method, status="200"):
        """The schema the API document gives the answer."""
        return self.doc["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]

    def check_failure(self, result, *words):
        """Exit 1 with the server's message on one line of stderr."""
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
        for word in words:
            self.assertIn(word, result.stderr)

    def test_train_card_activate_rollback_and_analyze(self):
        v1 = self.ok_json(self.train("pump-health", "--json"), self.documented("/api/v1/models", "post", "201"))
        self.assertEqual((v1["id"], v1["version"], v1["kind"]), ("pump-health", 1, "pca"))
        self.assertEqual(v1["asset"]["path"], self.asset)
        self.assertEqual(v1["inputs"], [self.asset + "/" + t for t in self.tags])
        self.assertRegex(v1["training"]["data_sha256"], r"^[0-9a-f]{64}$")
        self.assertEqual(v1["training"]["step_ms"], 1000)
        self.assertGreaterEqual(v1["training"]["rows"], 200)
        self.assertLessEqual(v1["training"]["rows"], TRAIN_HOURS * 3600)
        self.assertEqual(v1["metrics"]["training_rows"], v1["training"]["rows"])
        self.assertTrue(0 <= v1["metrics"]["holdout_alarm_rate"] <= 1, v1["metrics"])
        self.assertEqual(parse_time(v1["training"]["from"]), self.start)
        self.assertIsNone(v1["card"])
        self.assertFalse(v1["active"])
        self.assertEqual(v1["generated_by"], "ai")
        print("\nmodel of %s on %s: %d rows, metrics %s" % (self.asset, self.tags, v1["training"]["rows"],
                                                          v1["metrics"]), file=sys.stderr)

        # No card, no activation: the CLI says so on one line, the API answers 409.
        self.check_failure(self.zz("model", "activate", "pump-health", "1"), "no model card")
        status, _, answer = self.call("POST", "/api/v1/models/pump-health/activate", {"version": 1})
        self.assertEqual(status, 409, answer)
        refusal = self.documented("/api/v1/models/{id}/activate", "post", "409")
        self.assertEqual(violation(self.doc, answer, refusal), "")
        self.assertEqual(answer["error"]["code"], "failed_precondition")
        r = self.zz("model", "card", "pump-health", "1", "--intended-use", "Early warning on the lead pump",
                    "--limitations", "Not during start-up or changeover", "--owner", "reliability")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("card written", r.stdout)
        _, _, got = self.call("GET", "/api/v1/models/pump-health/versions/1")
        self.assertEqual(violation(self.doc, got, self.documented("/api/v1/models/{id}/versions/{version}", "get")), "")
        self.assertEqual(got["card"]["owner"], "reliability")
        self.assertEqual(got["training"], v1["training"])
        r = self.zz("model", "activate", "pump-health", "1")
        self.assertEqual((r.returncode, r.stdout),
                         (0, "model pump-health version 1 is active: the live analytics run it\n"), r.stderr)

        # Version 2: the same rows with another method, the card given at training time. The same
        # data hashes the same.
        v2 = self.ok_json(self.train("pump-health", "--method", "dpca", "--intended-use", "Same, lagged",
                                     "--limitations", "As version 1", "--json"))
        self.assertEqual((v2["version"], v2["kind"]), (2, "dpca"))
        self.assertEqual(v2["training"]["data_sha256"], v1["training"]["data_sha256"])
        self.assertEqual(v2["card"]["limitations"], "As version 1")
        self.assertEqual(self.zz("model", "activate", "pump-health", "2").returncode, 0)
        listed = self.ok_json(self.zz("model", "list", "--active", "--json"), self.documented("/api/v1/models", "get"))
        active = listed["models"]
        self.assertEqual([(m["id"], m["version"]) for m in active], [("pump-health", 2)])
        r = self.zz("model", "rollback", "pump-health")
        self.assertEqual((r.returncode, r.stdout), (0, "model pump-health rolled back: version 1 is active again\n"),
                         r.stderr)
        model = self.ok_json(self.zz("model", "show", "pump-health", "--json"),
                             self.documented("/api/v1/models/{id}", "get"))
        self.assertEqual(model["active_version"], 1)
        self.assertEqual([v["version"] for v in model["versions"]], [2, 1])
        self.assertEqual([(a["action"], a["version"]) for a in model["activations"]],
                         [("activate", 1), ("activate", 2), ("rollback", 1)])
        self.check_readable_text()
        self.check_analyze()
        self.check_health()

        r = self.zz("model", "deactivate", "pump-health")
        self.assertEqual(r.returncode, 0, r.stderr)
        _, _, model = self.call("GET", "/api/v1/models/pump-health")
        self.assertIsNone(model["active_version"])
        self.assertEqual(model["activations"][-1]["action"], "deactivate")

    def check_readable_text(self):
        table = self.zz("model", "list", "--asset", self.asset)
        self.assertEqual(table.returncode, 0, table.stderr)
        lines = table.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["MODEL", "VERSION", "KIND", "ASSET", "ROWS", "HOLDOUT", "ALARMS", "CARD",
                                            "ACTIVE"])
        rows = {tuple(line.split()[:3]): line.split() for line in lines[2:]}
        self.assertEqual(rows[("pump-health", "1", "pca")][-2:], ["yes", "ACTIVE"])
        self.assertEqual(rows[("pump-health", "2", "dpca")][-1], "yes")
        show = self.zz("model", "show", "pump-health")
        self.assertEqual(show.returncode, 0, show.stderr)
        self.assertTrue(show.stdout.startswith("model pump-health: active version 1\n"), show.stdout)
        self.assertIn("activation history", show.stdout)
        one = self.zz("model", "show", "pump-health", "1")
        self.assertEqual(one.returncode, 0, one.stderr)
        self.assertIn("  use:       Early warning on the lead pump\n", one.stdout)
        self.assertIn("  owner:     reliability\n", one.stdout)

    def check_analyze(self):
        # The fixed range below ends 20 s into the fault, and is read once every sample of it is stored.
        end = parse_time(self.episode["start"]) + 20
        time.sleep(max(0, end + 10 - time.time()))
        later = ("--from", self.train_to, "--to", "now")
        analysis = self.documented("/api/v1/models/{id}/analyze", "post")
        first = self.ok_json(self.zz("analyze", "--model", "pump-health", *later, "--json"), analysis)
        self.assertEqual((first["model"], first["version"]), ("pump-health", 1))
        self.assertGreater(first["rows_scored"], 3000)
        inputs = {self.asset + "/" + t for t in self.tags}
        for event in first["events"]:
            self.assertEqual(event["source"], "model:pump-health")
            self.assertEqual(event["model"], {"id": "pump-health", "version": 1})
            self.assertTrue(event["contributions"], event)
            self.assertTrue({c["path"] for c in event["contributions"]} <= inputs, event)
            self.assertAlmostEqual(sum(c["weight"] for c in event["contributions"]), 1, places=6)
        if not first["events"]:
            print("\nno events: the checks of their shape were vacuous", file=sys.stderr)
        # The same range replays the same events; an explicit version is honoured.
        fixed = ("--from", self.train_to, "--to", rfc3339(end))
        a = self.ok_json(self.zz("analyze", "--model", "pump-health", *fixed, "--json"))
        b = self.ok_json(self.zz("analyze", "--model", "pump-health", *fixed, "--json"))
        self.assertEqual(a, b)
        v2 = self.ok_json(self.zz("analyze", "--model", "pump-health", "--version", "2", *fixed, "--json"))
        self.assertEqual(v2["version"], 2)
        text = self.zz("analyze", "--model", "pump-health", *fixed)
        self.assertEqual(text.returncode, 0, text.stderr)
        lines = text.stdout.splitlines()
        self.assertRegex(lines[0], r"^model pump-health version 1: \d+ rows scored, %d events?$" % len(a["events"]))
        self.assertEqual(len(lines), 1 + len(a["events"]))
        for line, event in zip(lines[1:], a["events"]):
            self.assertTrue(line.startswith(event["start"] + "  "), line)
            self.assertIn(event["message"], line)
        self.report_episodes(a, rfc3339(end))

    def check_health(self):
        """The live analytics have scored the active version meanwhile: its row is in the health list."""
        status, _, answer = self.call("GET", "/api/v1/health")
        self.assertEqual(status, 200, answer)
        self.assertEqual(violation(self.doc, answer, self.documented("/api/v1/health", "get")), "")
        rows = [h for h in answer["assets"] if h["model"]["id"] == "pump-health"]
        self.assertEqual([(h["asset"]["path"], h["model"]["version"]) for h in rows], [(self.asset, 1)], answer)
        print("health of %s: %s" % (self.asset, rows[0]), file=sys.stderr)

    def report_episodes(self, analysis, end):
        """Reports, without asserting, whether the events overlap the simulator's fault episodes."""
        _, _, answer = self.call("GET", "/api/v1/sim/episodes")
        episodes = answer.get("episodes", [])
        events = analysis["events"]
        print("analyze %s..%s: %d rows, %d events; the server's simulator lists %d episodes" % (
            self.train_to, end, analysis["rows_scored"], len(events), len(episodes)), file=sys.stderr)
        for e in events:
            print("  event %s..%s score %.2f: %s" % (e["start"], e["end"], e["score"], e["message"]), file=sys.stderr)
        for ep in episodes:
            start = parse_time(ep["start"])
            end = parse_time(ep["end"]) if ep.get("end") else time.time()
            hits = [e for e in events if parse_time(e["start"]) <= end and parse_time(e["end"] or e["last"]) >= start]
            print("  episode %s %s on %s %s..%s: %d overlapping events" % (
                ep.get("id"), ep.get("type"), ep.get("asset"), ep.get("start"), ep.get("end"), len(hits)),
                file=sys.stderr)

    def test_unknown_model_and_tag_are_404(self):
        self.check_failure(self.zz("model", "show", "no-such-model"), "404", "no model 'no-such-model'")
        self.check_failure(self.zz("analyze", "--model", "no-such-model", "--from", "now-1h", "--to", "now"), "404")
        status, _, _ = self.call("GET", "/api/v1/models/no-such-model/versions/1")
        self.assertEqual(status, 404)
        self.check_failure(self.train("ghost", tags=[self.tags[0], "no_such_tag"]), "404", "no_such_tag")

    def test_training_refusals_name_the_remedy(self):
        short = self.train("too-short", to=rfc3339(self.start + 60))
        self.check_failure(short, "422", "widen the range or shorten the step")
        self.check_failure(self.train("Pump-Health"), "422", "lower-case")
        if self.constant_tags:
            status, _, answer = self.finished(*self.call("POST", "/api/v1/models", {
                "id": "flat", "asset": self.asset, "tags": [self.asset + "/" + self.tags[0], self.constant_tags[0]],
                "from": self.train_from, "to": self.train_to}))
            self.assertEqual(status, 422, answer)
            self.assertIn("is constant in the training rows; leave it out of the model", answer["error"]["message"])
        else:
            print("\nno constant float tag over the training range: the constant-input refusal is not exercised",
                  file=sys.stderr)
        # Nothing refused was stored.
        _, _, listed = self.call("GET", "/api/v1/models")
        self.assertFalse({"too-short", "flat"} & {m["id"] for m in listed["models"]})

    def test_malformed_requests_are_refused(self):
        status, _, answer = self.call("POST", "/api/v1/models", b"{\"id\": ")
        self.assertEqual(status, 400, answer)
        self.assertEqual(answer["error"]["code"], "invalid_argument")
        status, _, answer = self.call("POST", "/api/v1/models", {"id": "x", "asset": self.asset})
        self.assertEqual(status, 422, answer)
        status, _, answer = self.call("POST", "/api/v1/models/no-such-model/analyze",
                                      {"from": "yesterday", "to": "now"})
        self.assertEqual(status, 422, answer)
        self.assertIn("$.from", answer["error"]["message"])
        # Usage mistakes are exit 2 and never reach the server.
        self.assertEqual(self.zz("model", "train", "--asset", self.asset).returncode, 2)
        self.assertEqual(self.zz("model", "card", "m", "1", "--intended-use", "x").returncode, 2)
        self.assertEqual(self.train("half-card", "--intended-use", "x").returncode, 2)
        self.assertEqual(self.zz("model", "activate", "m", "zero").returncode, 2)
        self.assertEqual(self.zz("model", "train", "--id", "m", "--asset", "a", "--tags", "x,y", "--from", "now-1h",
                                 "--to", "now", "--method", "svm").returncode, 2)


class DemoPlantRulTest(unittest.TestCase):
    """A remaining-life version learnt from the simulated plant's own run-to-failure history
    (docs/analytics/registry.md, "On the demo plant"): 6.5 days backfilled at 24 faults a day,
    the ends of its bearing_wear episodes as the fleet's failures, `zhizao model train --method
    rul`, activated, and each pump's estimate on /api/v1/health."""

    TAGS = "vib_bpfo,vib_hf,bearing_temp_de,bearing_temp_nde"

    def test_the_plants_bearing_failures_train_a_fleet_model_the_health_page_serves(self):
        with tempfile.TemporaryDirectory(prefix="zz-rul-demo-") as tmp:
            data = os.path.join(tmp, "data")
            started = time.time()
            r = serve_test.run_zhizao("sim", "--days", "6.5", "--faults-per-day", "24", "--format", "none",
                                      "--data-dir", data, timeout=600)
            self.assertEqual(r.returncode, 0, r.stderr)
            # The same fault rate, or serve would start a new plant and list none of these episodes.
            # The asset models (AssetModelsServeTest's subject) would learn from these 6.5 days at
            # start, CPU this test of the remaining-life models does not need.
            server = Server(data, env_extra={"ZHIZAO_SIM_FAULTS_PER_DAY": "24", "ZHIZAO_ANALYTICS_ASSET_MODELS": "off"})
            try:
                self.train_and_serve(server, started - 6.5 * 86400)
            finally:
                server.stop()

    def train_and_serve(self, server, plant_start):
        def call(method, path, body=None):
            status, _, raw = http(method, server.url.rstrip("/") + path, TOKEN, body, timeout=60)
            return status, (json.loads(raw) if raw else None)

        status, answer = call("GET", "/api/v1/sim/episodes")
        self.assertEqual(status, 200)
        start = plant_start + 1800  # whole cycles of the stored history
        end = time.time() - 600
        wear = [e for e in answer["episodes"]
                if e["type"] == "bearing_wear" and start < parse_time(e["end"]) <= end]
        self.assertGreaterEqual(len(wear), 4, "bearing failures in the backfill")
        _, tags = call("GET", "/api/v1/tags?limit=10000")
        pumps = sorted({t["path"].rsplit("/", 1)[0] for t in tags["tags"] if t["path"].endswith("/vib_bpfo")})
        self.assertEqual(len(pumps), 3)
        failures = []
        for e in wear:
            failures += ["--failure", "%s@%s" % (e["asset"], e["end"])]
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIZAO_")}
        env.update({"ZHIZAO_URL": server.url.rstrip("/"), "ZHIZAO_TOKEN": TOKEN})
        train = subprocess.run(
            [serve_test.ZHIZAO, "model", "train", "--json", "--timeout", "600", "--method", "rul", "--id", "pump-rul",
             "--assets", ",".join(pumps), "--tags", self.TAGS, "--cycle", "10m", "--window", "30", "--rul-cap", "72",
             "--from", rfc3339(start), "--to", rfc3339(end), *failures,
             "--intended-use", "demo pumps' bearings", "--limitations", "simulated", "--evaluation", "cross-validated",
             "--owner", "test"],
            capture_output=True, text=True, env=env, timeout=900)
        self.assertEqual(train.returncode, 0, train.stderr)
        version = json.loads(train.stdout)
        metrics = version["metrics"]
        self.assertEqual(metrics["runs"], len(wear))
        self.assertEqual(metrics["rul_cap"], 72)
        # Measured 21.1 cycles on seed 1 (3.5 h against a 12 h cap); half the cap is the bound.
        self.assertLess(metrics["cv_rmse_cycles"], 36, metrics)
        status, answer = call("POST", "/api/v1/models/pump-rul/activate", {"version": version["version"]})
        self.assertEqual(status, 200, answer)
        # A pump whose last failure is less than a window of cycles old has not run long enough
        # since its repair to be estimated; the health page says so instead of guessing.
        window_s = 30 * 600
        last_failure = {p: max([parse_time(e["end"]) for e in wear if e["asset"] == p] or [start]) for p in pumps}
        settled = [p for p in pumps if time.time() - last_failure[p] > window_s + 2 * 600]
        self.assertTrue(settled, "every pump failed within the last window: %s" % last_failure)
        deadline = time.time() + 60
        while True:
            _, health = call("GET", "/api/v1/health")
            served = {a["asset"]["path"] if isinstance(a["asset"], dict) else a["asset"]: a.get("rul")
                      for a in health["assets"]}
            if all((served.get(p) or {}).get("ready") for p in settled) or time.time() > deadline:
                break
            time.sleep(1)
        for p in pumps:
            rul = served.get(p)
            self.assertTrue(rul, p)
            self.assertEqual(rul["model"], "pump-rul")
            if p not in settled:
                if not rul["ready"]:
                    self.assertIn("cycles since the run began", rul["note"])
                continue
            self.assertTrue(rul["ready"], "%s: %s" % (p, rul))
            self.assertGreater(rul["hours"], 0)
            self.assertLessEqual(rul["hours"], 12 + 1 / 6, "at most the cap, and the cycle in progress")

class AssetModelsServeTest(unittest.TestCase):
    """`[analytics] asset_models = "aakr"` on a plant with a day of stored history: each asset's
    kernel regression learns from the historian at start (not from 6 h of live data), and a fault
    injected on a running pump is an event of the pump's model naming the tag behind it, which
    the pump's own detectors leave to the model."""

    SENSOR_RULES = {"stuck", "dropout", "out_of_range", "invalid_value", "sensor_failure"}

    def test_models_learn_from_the_stored_day_and_a_fault_is_the_models_event(self):
        with tempfile.TemporaryDirectory(prefix="zz-asset-models-") as tmp:
            data = os.path.join(tmp, "data")
            r = serve_test.run_zhizao("sim", "--days", "1", "--faults-per-day", "0", "--format", "none",
                                      "--data-dir", data, timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            server = Server(data, env_extra={"ZHIZAO_ANALYTICS_ASSET_MODELS": "aakr"})
            try:
                self.check(server)
            finally:
                server.stop()

    def model_states(self, server):
        _, _, raw = http("GET", server.url + "metrics", TOKEN)
        return {m.group(1): float(m.group(2))
                for m in re.finditer(r'zhizao_analytics_asset_models\{state="(\w+)"\} (\S+)', raw.decode())}

    def check(self, server):
        def get(path):
            status, _, raw = http("GET", server.url.rstrip("/") + path, TOKEN)
            self.assertEqual(status, 200, raw)
            return json.loads(raw)

        started = time.time()
        states = {}
        while time.time() - started < 240:
            states = self.model_states(server)
            if states.get("scoring", 0) >= 8:
                break
            time.sleep(1)
        # The plant's ten multi-tag assets; learning live they would score after 6.5 h.
        self.assertGreaterEqual(states.get("scoring", 0), 8, states)
        pumps = ["demo/plant1/pumping/ps01/pumphouse/" + p for p in ("P1", "P2", "P3")]
        last = get("/api/v1/series/last?tags=" + ",".join(p + "/speed" for p in pumps))
        speeds = {v["tag"].rsplit("/", 1)[0]: v["value"] for v in last["values"]}
        pump = max(pumps, key=lambda p: speeds.get(p) or 0)
        self.assertGreater(speeds[pump], 100, "a pump runs: %s" % speeds)
        status, _, raw = http("POST", server.url + "api/v1/sim/faults", TOKEN,
                              {"asset": pump, "type": "impeller_imbalance", "duration_s": 900, "severity": 1.0})
        self.assertEqual(status, 201, raw)
        episode = json.loads(raw)
        injected = parse_time(episode["start"])
        deadline = time.time() + 180
        event = None
        while event is None and time.time() < deadline:
            time.sleep(2)
            events = get("/api/v1/events?limit=1000")["events"]
            event = next((e for e in events if e["source"] == "asset:" + pump and parse_time(e["start"]) >= injected - 1),
                         None)
        self.assertIsNotNone(event, "the pump's model raised an event")
        self.assertEqual(event["detector"], "aakr")
        named = [c["path"] for c in event["contributions"]][:3]
        self.assertIn(episode["root_cause_tag"], named)
        own = [e for e in get("/api/v1/events?limit=1000")["events"]
               if e["source"].startswith(pump + "/") and parse_time(e["start"]) >= injected - 1
               and e["detector"] not in self.SENSOR_RULES]
        self.assertEqual(own, [], "the pump's tags leave process changes to its model")


if __name__ == "__main__":
    serve_test.ZHIZAO = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
