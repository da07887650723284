#!/usr/bin/env python3
"""Connectors in the whole binary, against real peers: a Modbus TCP device (modbus-serial) read
through a connector of the config file and one made through the API, its samples in the
historian, a setpoint written through POST /api/v1/writes and the write gate, and recovery when
the device goes away and comes back.

OPC UA: a connector made through the API subscribes to node-opcua, its samples reach the
historian, a setpoint goes to the server through the write gate, and POST .../browse imports the
server's variables into the catalog.

MQTT: a Sparkplug B host connector and a JSON one made through the API against mosquitto, the
Sparkplug edge node's BIRTHs becoming tags and its data samples, a setpoint written as a DCMD
through the write gate, stop and start through the API; JSON messages mapped to tags.

Events to MQTT: samples written as line protocol make the analytics raise an event, and an
"mqtt" connector with "events" publishes it to mosquitto, where a listener receives it.

Usage: connectors_test.py PATH_TO_ZHIZAO
"""
import json
import math
import os
import random
import sys
import tempfile
import time
import unittest

import peers
import serve_test
from serve_test import Server, http, TOKEN

COUNTER = "site1/line1/press1/counter"
TEMP = "site1/line1/press1/temp"
SETPOINT = "site1/line1/press1/setpoint"


def wait_for(what, predicate, timeout=15):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; last: {last}")


def last_made(test, server, tag):
    """The tag's last value; {} while no connector has made the tag yet (one does once connected,
    or at a BIRTH or a message)."""
    status, _, body = server.get("/api/v1/series/last?tags=" + tag)
    if status == 404:
        return {}
    test.assertEqual(status, 200, body)
    return json.loads(body)["values"][0]


class ModbusConnectorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="zz-connectors-")
        cls.port = peers.free_port()
        cls.peer = peers.modbus_server(cls.port)
        cls.config = os.path.join(cls.tmp.name, "plant.toml")
        with open(cls.config, "w") as f:
            f.write(f"""
[[connectors]]
name = "press-1"
type = "modbus"
endpoint = "tcp://127.0.0.1:{cls.port}"
unit = 1
poll_ms = 100
timeout_ms = 500
tags = [
  {{ tag = "{COUNTER}", register = "HR0", type = "uint16" }},
  {{ tag = "{TEMP}", register = "HR2", type = "float32", order = "ABCD", unit = "degC" }},
  {{ tag = "{SETPOINT}", register = "HR10", type = "uint16", writable = true, min = 0, max = 1000 }},
]
""")
        cls.data = os.path.join(cls.tmp.name, "data")
        cls.server = Server(cls.data, ["--config", cls.config])

    @classmethod
    def tearDownClass(cls):
        if cls.server.proc.poll() is None:
            cls.server.stop()
        cls.peer.stop()
        cls.tmp.cleanup()

    def last(self, tag):
        status, _, body = self.server.get("/api/v1/series/last?tags=" + tag)
        self.assertEqual(status, 200, body)
        return json.loads(body)["values"][0]

    def connector(self, name):
        status, _, body = self.server.get("/api/v1/connectors/" + name)
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def test_1_samples_of_the_device_reach_the_historian(self):
        first = wait_for("a counter sample", lambda: self.last(COUNTER).get("value") is not None and self.last(COUNTER))
        later = wait_for("the counter to move", lambda: (v := self.last(COUNTER))["value"] != first["value"] and v)
        self.assertEqual(later["quality"], "good")
        temp = self.last(TEMP)["value"]
        self.assertTrue(15 <= temp <= 25, temp)
        info = self.connector("press-1")
        self.assertEqual(info["source"], "config")
        self.assertEqual(info["status"]["state"], "running")
        self.assertGreater(info["status"]["reads"], 0)
        self.assertGreater(info["status"]["latency_ms"]["count"], 0)
        status, _, body = http("GET", self.server.url + "api/v1/tags/" + str(self.last(TEMP)["id"]), TOKEN)
        self.assertEqual(json.loads(body)["unit"], "degC")
        # The same figures for Prometheus, labelled by connector.
        status, _, body = http("GET", self.server.url + "metrics", None)
        self.assertEqual(status, 200)
        metrics = body.decode()
        self.assertIn('zhizao_connector_state{connector="press-1",type="modbus",state="running"} 1', metrics)
        self.assertIn('zhizao_connector_state{connector="press-1",type="modbus",state="stopped"} 0', metrics)
        self.assertRegex(metrics, r'zhizao_connector_reads_total\{connector="press-1",type="modbus"\} [1-9]')
        self.assertRegex(metrics, r'zhizao_connector_jitter_seconds\{connector="press-1",type="modbus",quantile="0.99"\} ')
        self.assertIn("# TYPE zhizao_connector_latency_seconds gauge", metrics)

    def test_2_a_setpoint_goes_through_the_write_gate(self):
        status, _, body = self.server.post("/api/v1/writes", {"tag": SETPOINT, "value": 742, "reason": "test"})
        self.assertEqual(status, 200, body)
        wait_for("the setpoint to read back", lambda: self.last(SETPOINT)["value"] == 742)
        self.assertIn("HR10 <- 742", self.peer.output())
        status, _, body = self.server.post("/api/v1/writes", {"tag": SETPOINT, "value": 5000})
        self.assertEqual(status, 422, body)
        status, _, body = self.server.post("/api/v1/writes", {"tag": COUNTER, "value": 1})
        self.assertEqual(status, 403, body)
        self.assertGreaterEqual(self.connector("press-1")["status"]["writes"], 1)

    def test_3_connectors_made_through_the_api_survive_a_restart(self):
        definition = {"name": "press-2", "type": "modbus", "endpoint": f"tcp://127.0.0.1:{self.port}", "poll_ms": 200,
                      "tags": [{"tag": "site1/line1/press2/sine", "register": "HR1", "type": "int16"}]}
        status, _, body = self.server.post("/api/v1/connectors", definition)
        self.assertEqual(status, 201, body)
        status, _, body = self.server.post("/api/v1/connectors", dict(definition, tags=[{"tag": "x/y", "register": "ZZ9"}]) | {"name": "bad"})
        self.assertEqual(status, 422, body)
        self.assertIn("register", json.loads(body)["error"]["message"])
        status, _, body = http("PUT", self.server.url + "api/v1/connectors/press-1", TOKEN, definition | {"name": "press-1"})
        self.assertEqual(status, 409, body)

        type(self).server.stop()
        type(self).server = Server(self.data, ["--config", self.config])
        names = sorted(c["name"] for c in json.loads(self.server.get("/api/v1/connectors")[2])["connectors"])
        self.assertEqual(names, ["press-1", "press-2"])
        wait_for("press-2 samples", lambda: self.last("site1/line1/press2/sine").get("value") is not None)
        status, _, _ = http("DELETE", self.server.url + "api/v1/connectors/press-2", TOKEN)
        self.assertEqual(status, 204)

    def test_5_a_secure_opcua_connector_keeps_its_pki_in_the_data_dir(self):
        # No peer listens here: the definition is what is checked, and where the PKI goes.
        definition = {"name": "m1", "type": "opcua", "endpoint": "opc.tcp://127.0.0.1:1", "security": "Basic256Sha256",
                      "tags": [{"tag": "site1/line1/m1/temperature", "node": "ns=1;s=Machine1.Temperature", "type": "float64"}]}
        status, _, body = self.server.post("/api/v1/connectors", definition)
        self.assertEqual(status, 201, body)
        made = json.loads(body)
        self.assertNotIn("pki_dir", made["definition"], "the stored definition is the user's")
        status, _, _ = http("DELETE", self.server.url + "api/v1/connectors/m1", TOKEN)
        self.assertEqual(status, 204)

    def test_4_a_device_that_goes_away_is_marked_bad_then_recovers(self):
        wait_for("running", lambda: self.connector("press-1")["status"]["state"] == "running")
        self.peer.kill()
        wait_for("bad quality", lambda: self.last(COUNTER)["quality"] == "bad")
        wait_for("connecting", lambda: self.connector("press-1")["status"]["state"] == "connecting")
        type(self).peer = peers.modbus_server(self.port)
        wait_for("running again", lambda: self.connector("press-1")["status"]["state"] == "running", timeout=30)
        wait_for("good quality", lambda: self.last(COUNTER)["quality"] == "good")
        self.assertGreaterEqual(self.connector("press-1")["status"]["reconnects"], 1)


class OpcUaConnectorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="zz-opcua-")
        cls.port = peers.free_port()
        cls.peer = peers.opcua_server(cls.port)
        cls.server = Server(os.path.join(cls.tmp.name, "data"), [])

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.peer.stop()
        cls.tmp.cleanup()

    def last(self, tag):
        return last_made(self, self.server, tag)

    def test_subscribes_writes_through_the_gate_and_imports_the_address_space(self):
        temperature, setpoint = "site1/line1/m1/temperature", "site1/line1/m1/setpoint"
        definition = {"name": "m1", "type": "opcua", "endpoint": f"opc.tcp://127.0.0.1:{self.port}", "security": "None",
                      "publishing_ms": 100,
                      "tags": [{"tag": temperature, "node": "ns=1;s=Machine1.Temperature", "sampling_ms": 100},
                               {"tag": setpoint, "node": "ns=1;s=Machine1.Setpoint", "writable": True}]}
        status, _, body = self.server.post("/api/v1/connectors", definition)
        self.assertEqual(status, 201, body)
        first = wait_for("a temperature sample", lambda: self.last(temperature).get("value") is not None
                         and self.last(temperature))
        self.assertEqual(first["quality"], "good")
        wait_for("the temperature to move", lambda: self.last(temperature)["time"] != first["time"])

        status, _, body = self.server.post("/api/v1/writes", {"tag": setpoint, "value": 55.5, "reason": "test"})
        self.assertEqual(status, 200, body)
        wait_for("the setpoint to come back from the server", lambda: self.last(setpoint).get("value") == 55.5)

        status, _, body = self.server.post("/api/v1/connectors/m1/browse",
                                           {"start": "ns=1;s=Plant", "import": {"asset": "site1/line1/imported"}})
        self.assertEqual(status, 200, body)
        found = json.loads(body)
        variables = {n["node"]: n for n in found["nodes"] if n["variable"]}
        self.assertEqual(variables["ns=1;s=Machine1.Temperature"]["type"], "float64")
        self.assertTrue(variables["ns=1;s=Machine1.Setpoint"]["writable"])
        self.assertGreaterEqual(found["imported_tags"], 4)
        imported = self.last("site1/line1/imported/" + variables["ns=1;s=Machine1.Counter"]["path"])
        self.assertIn("id", imported)
        status, _, body = http("GET", self.server.url + "api/v1/tags/" + str(imported["id"]), TOKEN)
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["data_type"], "int64")


class MqttConnectorsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="zz-mqtt-")
        cls.port = peers.free_port()
        cls.broker = peers.mosquitto(cls.port)
        cls.server = Server(os.path.join(cls.tmp.name, "data"), [])
        cls.edge = None

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        if cls.edge:
            cls.edge.stop()
        cls.broker.stop()
        cls.tmp.cleanup()

    def last(self, tag):
        return last_made(self, self.server, tag)

    def state(self, name):
        return json.loads(self.server.get("/api/v1/connectors/" + name)[2])["status"]["state"]

    def test_sparkplug_births_data_a_dcmd_through_the_gate_stop_and_start(self):
        counter, setpoint = "sparkplug/Plant1/Edge1/Machine1/Counter", "sparkplug/Plant1/Edge1/Machine1/Setpoint"
        definition = {"name": "edge1", "type": "sparkplug", "broker": f"tcp://127.0.0.1:{self.port}",
                      "group": "Plant1", "host_id": "zhizao", "writable": ["Plant1/Edge1/Machine1/Setpoint"]}
        status, _, body = self.server.post("/api/v1/connectors", definition)
        self.assertEqual(status, 201, body)
        wait_for("running", lambda: self.state("edge1") == "running")
        type(self).edge = peers.sparkplug_edge(self.port)
        first = wait_for("a counter sample", lambda: self.last(counter).get("value") is not None and self.last(counter))
        wait_for("the counter to move", lambda: self.last(counter)["value"] != first["value"])
        self.assertEqual(self.last(counter)["quality"], "good")

        status, _, body = self.server.post("/api/v1/writes", {"tag": setpoint, "value": 61.5, "reason": "test"})
        self.assertEqual(status, 200, body)
        wait_for("the DCMD at the edge", lambda: "DCMD Setpoint <- 61.5" in self.edge.output())
        wait_for("the setpoint back from the edge", lambda: self.last(setpoint).get("value") == 61.5)

        status, _, body = self.server.post("/api/v1/connectors/edge1/stop", None)
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["status"]["state"], "stopped")
        status, _, body = self.server.post("/api/v1/connectors/edge1/start", None)
        self.assertEqual(status, 200, body)
        wait_for("running again", lambda: self.state("edge1") == "running")
        before = self.last(counter)["time"]
        wait_for("data again after the start", lambda: self.last(counter)["time"] != before)

    def test_json_messages_become_samples_of_their_topics_tags(self):
        definition = {"name": "json-feed", "type": "mqtt", "broker": f"tcp://127.0.0.1:{self.port}",
                      "subscriptions": [{"topic": "plant/+/temp", "tag": "site1/{1}/temp", "value": "$.value",
                                         "time": "$.ts", "type": "float64"}]}
        status, _, body = self.server.post("/api/v1/connectors", definition)
        self.assertEqual(status, 201, body)
        wait_for("running", lambda: self.state("json-feed") == "running")
        peers.mqtt_publish(self.port, "plant/line7/temp", json.dumps({"value": 21.25, "ts": 1700000000123}))
        sample = wait_for("the sample", lambda: self.last("site1/line7/temp").get("value") is not None
                          and self.last("site1/line7/temp"))
        self.assertEqual(sample["value"], 21.25)
        self.assertEqual(sample["time"], "2023-11-14T22:13:20.123Z")


class EventsToMqttTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="zz-events-mqtt-")
        cls.port = peers.free_port()
        cls.broker = peers.mosquitto(cls.port)
        cls.listener = peers.mqtt_listener(cls.port, "plant/alarms/#")
        config = os.path.join(cls.tmp.name, "plant.toml")
        with open(config, "w") as f:
            f.write(f"""
[[connectors]]
name = "alarms-out"
type = "mqtt"
broker = "tcp://127.0.0.1:{cls.port}"
events = {{ topic = "plant/alarms/{{asset}}", qos = 1 }}
""")
        cls.server = Server(os.path.join(cls.tmp.name, "data"), ["--config", config])

    @classmethod
    def tearDownClass(cls):
        if cls.server.proc.poll() is None:
            cls.server.stop()
        cls.listener.stop()
        cls.broker.stop()
        cls.tmp.cleanup()

    def test_an_event_the_analytics_raise_reaches_the_broker(self):
        wait_for("the connector to run", lambda: json.loads(self.server.get("/api/v1/connectors/alarms-out")[2])
                 ["status"]["state"] == "running")
        # 40 min of a steady flow (the detectors' warm-up is 30 min of data), then a far shift.
        rng = random.Random(7)
        start = int(time.time()) - 3 * 3600
        lines = []
        for t in range(2400 + 90):
            shift = 25 if t >= 2400 else 0
            value = 50 + 2 * math.sin(t / 60) + rng.gauss(0, 0.3) + shift
            lines.append(f"pump,unit=P1 flow={value:.3f} {start + t}")
        for i in range(0, len(lines), 500):
            status, _, body = http("POST", self.server.url + "write?db=plant&precision=s", TOKEN,
                                   "\n".join(lines[i:i + 500]).encode())
            self.assertEqual(status, 204, body)

        opened = wait_for("the opened event on the broker", lambda: [
            m for m in peers.messages(self.listener) if json.loads(m["payload"])["change"] == "opened"], timeout=30)
        notice = json.loads(opened[0]["payload"])
        self.assertEqual(notice["type"], "event")
        event = notice["event"]
        self.assertEqual(opened[0]["topic"], "plant/alarms/" + event["asset"]["path"])
        self.assertTrue(event["detector"] and event["message"], event)
        self.assertTrue(event["contributions"][0]["path"].endswith("flow"), event)
        status, _, body = self.server.get(f"/api/v1/events/{event['id']}")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["start"], event["start"])
        self.assertGreaterEqual(json.loads(self.server.get("/api/v1/connectors/alarms-out")[2])["status"]["writes"], 1)


if __name__ == "__main__":
    serve_test.ZHIZAO = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
