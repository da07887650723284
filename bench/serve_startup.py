#!/usr/bin/env python3
"""Time from exec of `zhizao serve` to its first 200 on /healthz, on an empty data dir.

Usage: bench/serve_startup.py build/release/zhizao [--runs 20]
Prints each run and the median, in milliseconds. The server runs the demo plant (simulator
registered into a new catalog), as `make run` does.
"""
import argparse
import os
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_run(binary):
    with tempfile.TemporaryDirectory(prefix="zz-start-") as tmp:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIZAO_")}
        started = time.monotonic()
        proc = subprocess.Popen([binary, "serve", "--demo", "--listen", "127.0.0.1:%d" % port,
                                 "--data-dir", os.path.join(tmp, "data")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        try:
            while True:
                try:
                    with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=1) as r:
                        if r.status == 200:
                            return (time.monotonic() - started) * 1000
                except OSError:
                    time.sleep(0.002)
                if time.monotonic() - started > 30:
                    raise RuntimeError("no /healthz within 30 s")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    times = [one_run(os.path.abspath(args.binary)) for _ in range(args.runs)]
    print("runs (ms):", " ".join("%.1f" % t for t in times))
    print("median %.1f ms, min %.1f ms, max %.1f ms" % (statistics.median(times), min(times), max(times)))


if __name__ == "__main__":
    main()
