#!/usr/bin/env python3
"""Whole-binary tests of `zhizao serve` and the other subcommands.

Starts the real binary on a free port with a temporary data dir, talks HTTP to it, and
stops it with SIGTERM. Usage: serve_test.py PATH_TO_ZHIZAO
"""
import calendar
import json
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

ZHIZAO = None
TOKEN = "integration-test-token-0123456789"


def http(method, url, token=None, body=None, timeout=10):
    """Returns (status, headers, body bytes); never raises for HTTP errors."""
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", "Token " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def iso_ns(text):
    """Nanoseconds of an RFC 3339 UTC time with up to 9 fractional digits."""
    whole, _, frac = text.rstrip("Z").partition(".")
    seconds = calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S"))
    return seconds * 10**9 + int((frac + "000000000")[:9])


class Server:
    """A running `zhizao serve` on a free port."""

    def __init__(self, data_dir, extra_args=(), env_token=TOKEN, env_extra=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIZAO_")}
        # Only injected faults, unless the test asks: a scheduled one could overlap its own injection.
        env["ZHIZAO_SIM_FAULTS_PER_DAY"] = "0"
        env.update(env_extra or {})
        if env_token:
            env["ZHIZAO_ADMIN_TOKEN"] = env_token
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [ZHIZAO, "serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir, *extra_args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        self.url, self.printed_token = self._read_announcement()
        self.ready_seconds = time.monotonic() - self.started

    def _read_announcement(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError("zhizao exited early: " + self.proc.stderr.read())
            m = re.search(r"(http://127\.0\.0\.1:\d+/)(\?token=([0-9a-f]+))?", line)
            if m:
                return m.group(1), m.group(3)
        raise AssertionError("zhizao did not announce its URL")

    def get(self, path, token=TOKEN):
        return http("GET", self.url.rstrip("/") + path, token)

    def post(self, path, body, token=TOKEN):
        return http("POST", self.url.rstrip("/") + path, token, body)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("zhizao did not stop within 5 s of SIGTERM")
        self.proc.stdout.close()
        self.stderr = self.proc.stderr.read()
        self.proc.stderr.close()
        return code


def run_zhizao(*args, env_extra=None, timeout=30):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIZAO_")}
    env.update(env_extra or {})
    return subprocess.run([ZHIZAO, *args], capture_output=True, text=True, env=env, timeout=timeout)


class ServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="zz-serve-")
        cls.server = Server(os.path.join(cls.tmp.name, "data"))

    @classmethod
    def tearDownClass(cls):
        if cls.server.proc.poll() is None:
            cls.server.stop()
        cls.tmp.cleanup()

    def test_healthz_is_public(self):
        status, _, body = self.server.get("/healthz", token=None)
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body), {"status": "ok"})

    def test_metrics_is_public_prometheus_text(self):
        self.server.get("/api/v1/assets")
        status, headers, body = self.server.get("/metrics", token=None)
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain"))
        text = body.decode()
        self.assertIn("# TYPE zhizao_http_requests_total counter", text)
        self.assertIn("# TYPE zhizao_http_request_duration_seconds histogram", text)
        self.assertIn("zhizao_sim_points_total", text)
        self.assertRegex(text, r"zhizao_catalog_tags [1-9]")
        self.assertIn("zhizao_security_refused_total{reason=\"unauthenticated\"}", text)
        self.assertIn("zhizao_storage_points_appended_total", text)
        self.assertIn("zhizao_ingest_points_total", text)
        self.assertRegex(text, r'zhizao_http_requests_total\{route="GET /api/v1/assets",class="2xx"\} [1-9]')

    def test_routes_need_a_token(self):
        for path in ("/api/v1/assets", "/api/v1/tags", "/api/v1/sim/episodes", "/api/v1/version"):
            status, headers, body = self.server.get(path, token=None)
            self.assertEqual(status, 401, path)
            self.assertEqual(json.loads(body)["error"]["code"], "unauthenticated")
            self.assertEqual(headers.get("WWW-Authenticate"), "Token")
            status, _, _ = self.server.get(path, token="wrong-token-wrong-token")
            self.assertEqual(status, 401, path)
            status, _, _ = self.server.get(path)
            self.assertEqual(status, 200, path)

    def test_bearer_is_accepted(self):
        req = urllib.request.Request(self.server.url + "api/v1/version")
        req.add_header("Authorization", "Bearer " + TOKEN)
        with urllib.request.urlopen(req, timeout=5) as r:
            self.assertEqual(r.status, 200)

    def test_asset_tree_is_isa95(self):
        status, _, body = self.server.get("/api/v1/assets")
        self.assertEqual(status, 200)
        tree = json.loads(body)["assets"]
        self.assertEqual(len(tree), 1)
        self.assertEqual(tree[0]["level"], "enterprise")
        levels = set()

        def walk(node, depth):
            levels.add(node["level"])
            for child in node["children"]:
                self.assertTrue(child["path"].startswith(node["path"] + "/"))
                walk(child, depth + 1)
        walk(tree[0], 0)
        self.assertTrue({"enterprise", "site", "area", "equipment"} <= levels, levels)

    def test_tags_filter_by_glob_and_asset(self):
        status, _, body = self.server.get("/api/v1/tags")
        all_tags = json.loads(body)["tags"]
        self.assertGreater(len(all_tags), 50)
        pump = next(t for t in all_tags if "pump" in t["path"].lower())
        pump_asset = pump["path"].rsplit("/", 1)[0]
        name = pump_asset.rsplit("/", 1)[1]
        status, _, body = self.server.get("/api/v1/tags?path=*" + name + "*")
        self.assertEqual(status, 200)
        matched = json.loads(body)["tags"]
        self.assertTrue(matched)
        self.assertTrue(all(name in t["path"] for t in matched))
        status, _, body = self.server.get("/api/v1/tags?asset=" + pump_asset)
        by_asset = json.loads(body)["tags"]
        self.assertTrue(by_asset)
        self.assertTrue(all(t["path"].startswith(pump_asset + "/") for t in by_asset))
        for key in ("unit", "data_type", "limits", "classification", "description", "period_ms"):
            self.assertIn(key, pump)
        self.assertTrue(pump["description"]["zh"] and pump["description"]["en"])
        status, _, body = self.server.get("/api/v1/tags/%d" % pump["id"])
        self.assertEqual(json.loads(body)["path"], pump["path"])

    def test_bad_parameters_get_json_errors(self):
        status, _, body = self.server.get("/api/v1/tags?limit=abc")
        self.assertEqual(status, 400)
        self.assertIn("limit", json.loads(body)["error"]["message"])
        status, _, body = self.server.get("/api/v1/tags?asset=no/such/asset")
        self.assertEqual(status, 404)
        status, _, _ = self.server.get("/api/v1/tags/999999")
        self.assertEqual(status, 404)
        status, _, _ = self.server.get("/api/v1/nothing-here")
        self.assertEqual(status, 404)
        status, headers, body = http("DELETE", self.server.url + "api/v1/assets", TOKEN)
        self.assertEqual(status, 405)
        self.assertEqual(headers.get("Allow"), "GET, POST")
        self.assertEqual(json.loads(body)["error"]["code"], "method_not_allowed")

    def test_fault_injection_is_recorded_as_an_episode(self):
        status, _, body = self.server.get("/api/v1/tags?path=*bearing*")
        tag = json.loads(body)["tags"][0]
        asset = tag["path"].rsplit("/", 1)[0]
        status, _, body = self.server.post("/api/v1/sim/faults",
                                           {"asset": asset, "type": "bearing_wear", "duration_s": 600,
                                            "severity": 0.8})
        self.assertEqual(status, 201, body)
        episode = json.loads(body)
        self.assertEqual(episode["asset"], asset)
        self.assertEqual(episode["type"], "bearing_wear")
        self.assertTrue(episode["injected"])
        self.assertTrue(episode["root_cause_tag"].startswith(asset + "/"))
        status, _, body = self.server.get("/api/v1/sim/episodes")
        self.assertIn(episode["id"], [e["id"] for e in json.loads(body)["episodes"]])

    def test_bad_fault_requests_are_refused(self):
        cases = [b"not json", {"type": "bearing_wear"}, {"asset": "demo", "type": "no_such_fault"},
                 {"asset": "no/such/asset", "type": "bearing_wear"},
                 {"asset": "x", "type": "bearing_wear", "severity": 7}]
        for body in cases:
            status, _, answer = self.server.post("/api/v1/sim/faults", body)
            self.assertEqual(status, 400, (body, answer))
            self.assertIn("message", json.loads(answer)["error"])

    def oversized_post(self, target):
        """The answer to a POST whose Content-Length is over the 32 MiB limit: the server answers
        as soon as it reads the header, so only a little of the body is sent."""
        with socket.create_connection(("127.0.0.1", self.port())) as s:
            s.sendall(b"POST " + target.encode() + b" HTTP/1.1\r\nHost: x\r\nAuthorization: Token " +
                      TOKEN.encode() + b"\r\nContent-Length: %d\r\n\r\n" % (33 << 20) + b"x" * 1000)
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
        head, _, body = answer.decode().partition("\r\n\r\n")
        return head, json.loads(body)

    def test_oversized_body_gets_413_in_the_routes_own_error_shape(self):
        head, body = self.oversized_post("/api/v1/sim/faults")
        self.assertTrue(head.startswith("HTTP/1.1 413"), head)
        self.assertEqual(body["error"]["code"], "too_large")
        self.assertIn("larger than 33554432 bytes", body["error"]["message"])
        # InfluxDB clients parse InfluxDB's shapes: 1.x {"error": "..."}, 2.x {"code", "message"}.
        head, body = self.oversized_post("/write?db=big")
        self.assertTrue(head.startswith("HTTP/1.1 413"), head)
        self.assertIn("larger than 33554432 bytes", body["error"])
        head, body = self.oversized_post("/api/v2/write?bucket=big")
        self.assertTrue(head.startswith("HTTP/1.1 413"), head)
        self.assertEqual(body["code"], "request too large")

    def port(self):
        return int(self.server.url.split(":")[2].strip("/"))

    def test_idle_and_slow_connections_do_not_block_others(self):
        idle = [socket.create_connection(("127.0.0.1", self.port()))
                for _ in range(50)]
        try:
            idle[0].sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finished
            status, _, _ = self.server.get("/healthz", token=None)
            self.assertEqual(status, 200)
        finally:
            for s in idle:
                s.close()


class SlowClientsTest(unittest.TestCase):
    """Slowloris: clients that trickle a request a byte at a time hold a connection only until
    [server] request_timeout_ms, and others are answered meanwhile."""

    CLIENTS = 200

    def test_trickling_clients_are_cut_at_the_request_timeout(self):
        tmp = tempfile.TemporaryDirectory(prefix="zz-slow-")
        server = Server(os.path.join(tmp.name, "data"), env_extra={"ZHIZAO_SERVER_REQUEST_TIMEOUT_MS": "1500"})
        port = int(server.url.split(":")[2].strip("/"))
        request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"y" * 200 + b"\r\n\r\n"
        slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(self.CLIENTS)]
        try:
            start = time.monotonic()
            cut = set()
            sent = 0
            # A byte per client every 50 ms: the request would take 12 s to arrive whole.
            while len(cut) < self.CLIENTS and time.monotonic() - start < 10:
                for i, s in enumerate(slow):
                    if i in cut:
                        continue
                    try:
                        s.sendall(request[sent:sent + 1])
                    except OSError:
                        cut.add(i)
                sent += 1
                status, _, _ = server.get("/healthz", token=None)
                self.assertEqual(status, 200, "others are answered while slow clients trickle")
                for i, s in enumerate(slow):
                    s.setblocking(False)
                    try:
                        if s.recv(1) == b"":
                            cut.add(i)
                    except BlockingIOError:
                        pass
                    except OSError:
                        cut.add(i)
                    s.setblocking(True)
                time.sleep(0.05)
            elapsed = time.monotonic() - start
            self.assertEqual(len(cut), self.CLIENTS, "every trickling connection is closed by the server")
            self.assertGreaterEqual(elapsed, 1.4, "not before the timeout")
            self.assertLess(elapsed, 6.0, "soon after the 1.5 s timeout")
            status, _, _ = server.get("/api/v1/tags?limit=1")
            self.assertEqual(status, 200)
        finally:
            for s in slow:
                s.close()
            server.stop()
            tmp.cleanup()


class IdleConnectionsTest(unittest.TestCase):
    """10,000 connections that send nothing must not stop the server answering others."""

    CONNECTIONS = 10_000

    def test_ten_thousand_idle_connections(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        needed = self.CONNECTIONS + 200
        if hard < needed:
            self.skipTest(f"the fd limit here is {hard}, below the {needed} this test needs")
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        tmp = tempfile.TemporaryDirectory(prefix="zz-idle-")
        server = Server(os.path.join(tmp.name, "data"))
        port = int(server.url.split(":")[2].strip("/"))
        idle = []
        try:
            for _ in range(self.CONNECTIONS):
                idle.append(socket.create_connection(("127.0.0.1", port)))
            start = time.monotonic()
            status, _, _ = server.get("/healthz", token=None)
            self.assertEqual(status, 200)
            status, _, body = server.get("/api/v1/tags?limit=5")
            self.assertEqual(status, 200, body)
            self.assertLess(time.monotonic() - start, 5.0)
            # The server holds them all (none was refused or dropped), and says so.
            _, _, metrics = server.get("/metrics", token=None)
            self.assertRegex(metrics.decode(), r"zhizao_http_open_connections (\d{5}|[1-9]\d{4})")
        finally:
            for s in idle:
                s.close()
            server.stop()
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
            tmp.cleanup()


class LifecycleTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="zz-life-")
        self.data = os.path.join(self.tmp.name, "data")

    def tearDown(self):
        self.tmp.cleanup()

    def test_generated_token_is_printed_once_and_only_its_hash_kept(self):
        server = Server(self.data, env_token=None)
        try:
            self.assertIsNotNone(server.printed_token)
            status, _, _ = server.get("/api/v1/version", token=server.printed_token)
            self.assertEqual(status, 200)
        finally:
            self.assertEqual(server.stop(), 0)
        with open(os.path.join(self.data, "admin_token.sha256")) as f:
            self.assertNotIn(server.printed_token, f.read())
        again = Server(self.data, env_token=None)
        try:
            self.assertIsNone(again.printed_token)
            status, _, _ = again.get("/api/v1/version", token=server.printed_token)
            self.assertEqual(status, 200)
        finally:
            again.stop()

    def test_sigterm_stops_cleanly_and_catalog_persists(self):
        server = Server(self.data)
        _, _, body = server.get("/api/v1/tags")
        count = json.loads(body)["count"]
        self.assertEqual(server.stop(), 0)
        self.assertIn("stopped cleanly", server.stderr)
        again = Server(self.data)
        try:
            _, _, body = again.get("/api/v1/tags")
            self.assertEqual(json.loads(body)["count"], count)
        finally:
            again.stop()

    def test_json_logs_are_one_object_per_line(self):
        server = Server(self.data, env_extra={"ZHIZAO_LOG_FORMAT": "json"})
        self.assertEqual(server.stop(), 0)
        lines = [l for l in server.stderr.splitlines() if l.strip()]
        self.assertGreater(len(lines), 2)
        for line in lines:
            entry = json.loads(line)
            self.assertEqual(set(entry), {"ts", "level", "msg"})
        self.assertIn("stopped cleanly", lines[-1])

    def test_history_survives_a_restart(self):
        server = Server(self.data)
        tag = "demo/plant1/pumping/ps01/pumphouse/P1/bearing_temp_de"
        deadline = time.monotonic() + 15
        while True:
            _, _, body = server.get("/api/v1/series/last?tags=" + tag)
            value = json.loads(body)["values"][0]
            if value["time"] is not None or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertIsNotNone(value["time"], "no sample of a 5 s tag within 15 s")
        self.assertEqual(server.stop(), 0)
        again = Server(self.data)
        try:
            _, _, body = again.get("/api/v1/series/last?tags=" + tag)
            after = json.loads(body)["values"][0]
            self.assertIsNotNone(after["time"])
            self.assertGreaterEqual(after["time"], value["time"])
        finally:
            again.stop()

    def test_flush_is_admin_only_and_answers_204(self):
        server = Server(self.data)
        try:
            status, _, _ = server.post("/api/v1/admin/flush", b"", token=None)
            self.assertEqual(status, 401)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:  # until the simulator has stored something
                _, _, metrics = server.get("/metrics", token=None)
                if re.search(r"zhizao_storage_points_appended_total [1-9]", metrics.decode()):
                    break
                time.sleep(0.1)
            status, _, _ = server.post("/api/v1/admin/flush?compact=true", b"")
            self.assertEqual(status, 204)
            _, _, metrics = server.get("/metrics", token=None)
            gauges = {m.group(1): float(m.group(2)) for m in
                      re.finditer(r"^(zhizao_storage_\w+) (\S+)$", metrics.decode(), re.M)}
            self.assertGreater(gauges.get("zhizao_storage_series", 0), 0, gauges)
            self.assertGreater(gauges.get("zhizao_storage_head_bytes", 0), 0, gauges)
            self.assertGreater(gauges.get("zhizao_storage_chunks_written_total", 0), 0, gauges)
        finally:
            server.stop()

    def test_sigint_stops_cleanly(self):
        server = Server(self.data)
        server.proc.send_signal(signal.SIGINT)
        self.assertEqual(server.proc.wait(timeout=5), 0)

    def test_second_process_on_same_data_dir_exits_2(self):
        server = Server(self.data)
        try:
            r = run_zhizao("serve", "--listen", "127.0.0.1:0", "--data-dir", self.data)
            self.assertEqual(r.returncode, 2)
            self.assertIn("is in use by another zhizao process (pid %d)" % server.proc.pid, r.stderr)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        finally:
            server.stop()

    def test_port_in_use_exits_2(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            port = s.getsockname()[1]
            r = run_zhizao("serve", "--listen", "127.0.0.1:%d" % port, "--data-dir", self.data)
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot listen on 127.0.0.1:%d" % port, r.stderr)
        self.assertIn("in use", r.stderr)

    def test_unwritable_data_dir_exits_2(self):
        blocker = os.path.join(self.tmp.name, "a-file")
        open(blocker, "w").close()
        r = run_zhizao("serve", "--listen", "127.0.0.1:0", "--data-dir", os.path.join(blocker, "data"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot create data dir", r.stderr)
        self.assertIn(blocker, r.stderr)


class ConfigTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="zz-cfg-")

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, text):
        path = os.path.join(self.tmp.name, "zhizao.toml")
        with open(path, "w") as f:
            f.write(text)
        return path

    def assert_refused(self, args, *fragments, env_extra=None):
        r = run_zhizao(*args, env_extra=env_extra)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        for f in fragments:
            self.assertIn(f, r.stderr)

    def test_defaults_are_a_valid_config(self):
        r = run_zhizao("config", "defaults")
        self.assertEqual(r.returncode, 0)
        self.assertIn("[server]", r.stdout)
        self.assertIn("# Environment: ZHIZAO_SERVER_LISTEN", r.stdout)
        path = self.write(r.stdout)
        r = run_zhizao("config", "check", path)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_unknown_key(self):
        path = self.write("[server]\nlisten = \"127.0.0.1:0\"\nthreads = 4\n")
        self.assert_refused(["config", "check", path], path + ":3", "unknown key [server] threads")
        self.assert_refused(["serve", "--config", path], path + ":3", "threads")

    def test_wrong_type(self):
        path = self.write("[sim]\nscale = \"big\"\n")
        self.assert_refused(["serve", "--config", path], path + ":2", "[sim] scale", "expected an integer")

    def test_invalid_value(self):
        path = self.write("[log]\nformat = \"xml\"\n")
        self.assert_refused(["serve", "--config", path], path, "format")

    def test_invalid_asset_model_settings(self):
        path = self.write("[analytics]\nasset_models = \"lstm\"\n")
        self.assert_refused(["config", "check", path], path, "asset_models", "expected \"off\", \"aakr\" or \"pca\"")
        path = self.write("[analytics]\nasset_setpoints = \"ignored\"\n")
        self.assert_refused(["config", "check", path], path, "asset_setpoints", "ignored")

    def test_missing_file(self):
        path = os.path.join(self.tmp.name, "absent.toml")
        self.assert_refused(["serve", "--config", path], path)

    def test_bad_environment_variable(self):
        self.assert_refused(["serve", "--data-dir", self.tmp.name], "ZHIZAO_SIM_SCALE",
                            env_extra={"ZHIZAO_SIM_SCALE": "lots"})
        self.assert_refused(["serve", "--data-dir", self.tmp.name], "ZHIZAO_SERVR_LISTEN",
                            env_extra={"ZHIZAO_SERVR_LISTEN": "x"})

    def test_bad_listen_flag(self):
        self.assert_refused(["serve", "--listen", "localhost"], "--listen", "HOST:PORT")

    def test_environment_overrides_file_and_flag_overrides_environment(self):
        data = os.path.join(self.tmp.name, "data")
        path = self.write("[server]\nlisten = \"127.0.0.1:1\"\n[sim]\nenabled = true\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIZAO_")}
        env.update({"ZHIZAO_SERVER_LISTEN": "127.0.0.1:2", "ZHIZAO_ADMIN_TOKEN": TOKEN})
        proc = subprocess.Popen([ZHIZAO, "serve", "--config", path, "--listen", "127.0.0.1:0", "--data-dir", data],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            line = proc.stdout.readline()
            while line and "http://" not in line:
                line = proc.stdout.readline()
            self.assertRegex(line, r"http://127\.0\.0\.1:\d+/")
            self.assertNotRegex(line, r":[12]/")
        finally:
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=5), 0)
            proc.stdout.close()
            proc.stderr.close()

    def test_version(self):
        r = run_zhizao("version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^zhizao \d+\.\d+\.\d+")

    def test_unknown_subcommand_exits_2(self):
        self.assertEqual(run_zhizao("frobnicate").returncode, 2)


class SimCommandTest(unittest.TestCase):
    def test_backfill_into_a_data_dir_is_served(self):
        with tempfile.TemporaryDirectory(prefix="zz-simdir-") as tmp:
            data = os.path.join(tmp, "data")
            r = run_zhizao("sim", "--days", "0.05", "--start", "2026-01-05T08:00:00Z", "--data-dir", data)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout, "")
            server = Server(data, extra_args=("--config", os.devnull))
            try:
                tag = "demo/plant1/utilities/air01/header_pressure"
                _, _, body = server.get("/api/v1/series/last?tags=" + tag)
                value = json.loads(body)["values"][0]
                self.assertEqual(value["time"][:13], "2026-01-05T09")
                self.assertIsInstance(value["value"], float)
            finally:
                server.stop()


    def test_serve_continues_the_backfilled_plant(self):
        # serve --demo on a backfilled data dir runs the same plant on from where the history
        # ends, rather than a new one whose machines all change state at the join.
        with tempfile.TemporaryDirectory(prefix="zz-simjoin-") as tmp:
            data = os.path.join(tmp, "data")
            r = run_zhizao("sim", "--days", "0.02", "--faults-per-day", "0", "--data-dir", data, "--format", "none")
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(os.path.join(data, "sim.json")) as f:
                epoch = json.load(f)
            backfill_end_ns = epoch["start_ns"] + int(0.02 * 86400e9)
            server = Server(data, extra_args=("--demo",))
            try:
                time.sleep(12)
                with open(os.path.join(data, "sim.json")) as f:
                    self.assertEqual(json.load(f), epoch, "the same plant continues: its epoch is kept")
                frm = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(backfill_end_ns / 1e9 - 30))
                # A pump running at the join (the duty rotates: which one runs depends on the hour).
                running = 0
                for pump in ("P1", "P2", "P3"):
                    tag = f"demo/plant1/pumping/ps01/pumphouse/{pump}/speed"
                    _, _, body = server.get(f"/api/v1/series/range?tag={tag}&from={frm}&to=now&limit=10000")
                    samples = json.loads(body)["samples"]
                    times = [s["time"] for s in samples]
                    # The gap between the backfill's end and the server's start splits the samples.
                    cut = max(range(1, len(samples)), key=lambda i: iso_ns(times[i]) - iso_ns(times[i - 1]))
                    before = [s["value"] for s in samples[:cut]][-40:]
                    after = [s["value"] for s in samples[cut:]][:40]
                    self.assertGreaterEqual(len(after), 10, "live samples after the join")
                    mean_before, mean_after = sum(before) / len(before), sum(after) / len(after)
                    if mean_before < 100:
                        continue  # in standby
                    running += 1
                    self.assertLess(abs(mean_after - mean_before) / mean_before, 0.03,
                                    f"{pump}'s speed runs on across the join: {mean_before:.1f} then {mean_after:.1f} rpm")
                self.assertGreater(running, 0, "a pump runs at the join")
                # The backfill's episodes are the live simulator's too (scheduled from the same epoch).
                _, _, body = server.get("/api/v1/sim/episodes")
                self.assertIsInstance(json.loads(body)["episodes"], list)
            finally:
                server.stop()

    def test_a_damaged_sim_epoch_starts_a_new_plant(self):
        # sim.json only lets serve continue a plant: a damaged one is logged, and a new plant
        # starts and is recorded in its place.
        with tempfile.TemporaryDirectory(prefix="zz-simbad-") as tmp:
            data = os.path.join(tmp, "data")
            os.makedirs(data)
            with open(os.path.join(data, "sim.json"), "w") as f:
                f.write('{"seed": "one"')
            server = Server(data, extra_args=("--demo",))
            try:
                status, _, _ = server.get("/healthz", token=None)
                self.assertEqual(status, 200)
                with open(os.path.join(data, "sim.json")) as f:
                    epoch = json.load(f)
                self.assertEqual(epoch["seed"], 1)
                self.assertLess(abs(epoch["start_ns"] / 1e9 + 300 - time.time()), 60, "a new plant, warmed up 5 min")
            finally:
                server.stop()

    def test_a_plant_of_other_settings_is_named_when_a_new_one_starts(self):
        # A backfill at 4 faults a day, served at 0 (this file's servers): not the same plant,
        # and the log says which settings would continue it.
        with tempfile.TemporaryDirectory(prefix="zz-simother-") as tmp:
            data = os.path.join(tmp, "data")
            r = run_zhizao("sim", "--days", "0.01", "--faults-per-day", "4", "--data-dir", data, "--format", "none")
            self.assertEqual(r.returncode, 0, r.stderr)
            server = Server(data, extra_args=("--demo",))
            server.stop()
            self.assertIn("the data dir holds a plant of seed 1, scale 1, 4 faults a day, not the configured seed 1, "
                          "scale 1, 0", server.stderr)
            with open(os.path.join(data, "sim.json")) as f:
                self.assertEqual(json.load(f)["faults_per_day"], 0, "the new plant is recorded")

    def test_backfill_writes_line_protocol_deterministically(self):
        args = ("sim", "--days", "0.01", "--seed", "7", "--start", "2026-01-05T08:00:00Z", "--format", "lp")
        a = run_zhizao(*args)
        b = run_zhizao(*args)
        self.assertEqual(a.returncode, 0, a.stderr)
        self.assertEqual(a.stdout, b.stdout)
        lines = a.stdout.splitlines()
        self.assertGreater(len(lines), 1000)
        self.assertRegex(lines[0], r"^\S+ \S+=\S+ \d{19}$")
        self.assertIn("M points/s", a.stderr)
        c = run_zhizao("sim", "--days", "0.01", "--seed", "8", "--start", "2026-01-05T08:00:00Z")
        self.assertNotEqual(a.stdout, c.stdout)

    def test_sim_needs_days_or_realtime(self):
        self.assertEqual(run_zhizao("sim").returncode, 2)
        self.assertEqual(run_zhizao("sim", "--days", "1", "--format", "xml").returncode, 2)


if __name__ == "__main__":
    ZHIZAO = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
