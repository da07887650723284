"""Starts the real protocol peers of tests/peers/ for the whole-binary tests, on free ports.

The npm packages are installed by `scripts/setup --test` (npm ci in tests/peers); mosquitto is
Debian's. A peer that cannot start fails the test with its output: these tests exist to talk to
real peers, so they never skip silently.
"""
import json
import os
import signal
import socket
import subprocess
import tempfile
import time

PEERS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Peer:
    """One peer process; waits for `ready` in its output."""

    def __init__(self, args, env_extra, ready, timeout=30):
        env = dict(os.environ)
        env.update(env_extra)
        self.log = tempfile.NamedTemporaryFile(prefix="zz-peer-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(args, cwd=PEERS_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while ready not in self.output():
            if self.proc.poll() is not None:
                raise AssertionError(f"{args} exited before it was ready (run scripts/setup --test?):\n{self.output()}")
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"{args} not ready after {timeout} s:\n{self.output()}")
            time.sleep(0.05)

    def output(self):
        with open(self.log.name, errors="replace") as f:
            return f.read()

    def kill(self):
        """Vanishes at once, as a device that loses power."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()
        os.unlink(self.log.name)


def mosquitto(port):
    """Debian's broker, anonymous, on 127.0.0.1:port."""
    conf = tempfile.NamedTemporaryFile("w", prefix="zz-mosquitto-", suffix=".conf", delete=False)
    conf.write(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stdout\n")
    conf.close()
    return Peer(["stdbuf", "-oL", "mosquitto", "-c", conf.name], {}, "listen socket on port")


def mqtt_listener(port, topic):
    """Prints each message on `topic` as a JSON line (see messages())."""
    return Peer(["node", "mqtt-sub.js"], {"MQTT_URL": f"mqtt://127.0.0.1:{port}", "MQTT_TOPIC": topic}, "READY")


def messages(listener):
    """The messages an mqtt_listener received so far, as dicts."""
    return [json.loads(line) for line in listener.output().splitlines() if line.startswith("{")]


def opcua_server(port):
    """node-opcua with SecurityPolicy None: Plant/Machine1/{Temperature, Counter, Status, Setpoint}."""
    pki = tempfile.mkdtemp(prefix="zz-opcua-pki-")
    return Peer(["node", "opcua-server.js"], {"OPCUA_PORT": str(port), "OPCUA_PKI": pki}, "READY")


def sparkplug_edge(port):
    """The Sparkplug B edge node (group Plant1, node Edge1, device Machine1) on the broker at port."""
    return Peer(["node", "sparkplug-edge.js"], {"MQTT_URL": f"mqtt://127.0.0.1:{port}"}, "READY")


def mqtt_publish(port, topic, payload):
    """Publishes one message at QoS 1 with npm mqtt, and returns once the broker has it."""
    script = ("const c = require('mqtt').connect(process.argv[1]);"
              "c.on('connect', () => c.publish(process.argv[2], process.argv[3], {qos: 1}, (e) => {"
              "  if (e) { console.error(e.message); process.exit(1); } c.end(false, () => process.exit(0)); }));")
    subprocess.run(["node", "-e", script, f"mqtt://127.0.0.1:{port}", topic, payload], cwd=PEERS_DIR, check=True,
                   timeout=30)


def modbus_server(port):
    return Peer(["node", "modbus-server.js"], {"MODBUS_PORT": str(port)}, "READY")
