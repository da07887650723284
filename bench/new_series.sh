#!/usr/bin/env bash
# New series at full speed? 10,000 devices x 10 fields (100,000 series) of lpgen's plant
# workload, one second of data written to a fresh server (every series new), then the next
# second (every series known); zhizao with live analytics on and off, and VictoriaMetrics, each
# fresh, in turn. Prints the time each pass took to be acknowledged and the server's CPU.
#
#   bench/new_series.sh [RUNS]        # from the repository root; default 2 runs of each
#
# Needs: build/release/zhizao, victoria-metrics (Debian), and lpgen from ../shared/bench
# (built here with g++ when missing).
set -euo pipefail
runs=${1:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"' EXIT
lpgen=${LPGEN:-$work/lpgen}
[ -x "$lpgen" ] || g++ -O2 -std=c++17 -pthread -o "$lpgen" "$root/../shared/bench/lpgen.cpp"
token=new-series-bench-token-0123
port=18089
start_ms=1700000000000

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# pass NAME URL START_MS: one second of the 10,000 devices; prints seconds to ack and CPU s.
pass() {
  local c0 c1 send
  c0=$(cpu_ticks "$pid")
  send=$("$lpgen" --url "$2" --devices 10000 --start-ms "$3" --seconds 1 --batch 5000 --conns 4 |
         python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); assert d["errors"] == 0, d; print(d["send_s"])')
  c1=$(cpu_ticks "$pid")
  printf '  %-9s %6.2f s  server CPU %5.2f s\n' "$1" "$send" "$(echo "($c1 - $c0) / $(getconf CLK_TCK)" | bc -l)"
}

wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && return; sleep 0.1; done; exit 1; }

for run in $(seq "$runs"); do
  for analytics in true false; do
    rm -rf "$work/zz"
    printf '[server]\nlisten = "127.0.0.1:%s"\n[storage]\ndata_dir = "%s/zz"\nfsync = "interval"\n[sim]\nenabled = false\n[analytics]\nenabled = %s\n' \
      "$port" "$work" "$analytics" > "$work/zz.toml"
    ZHIZAO_ADMIN_TOKEN=$token "$root/build/release/zhizao" serve --config "$work/zz.toml" > "$work/zz.log" 2>&1 &
    pid=$!
    wait_port
    echo "run $run: zhizao, analytics $analytics"
    url="http://127.0.0.1:$port/write?db=plant&precision=ms&u=bench&p=$token"
    pass new "$url" $start_ms
    pass known "$url" $((start_ms + 1000))
    kill $pid; wait $pid || true; pid=
  done
  rm -rf "$work/vm"
  victoria-metrics -storageDataPath "$work/vm" -httpListenAddr "127.0.0.1:$port" > "$work/vm.log" 2>&1 &
  pid=$!
  wait_port
  echo "run $run: VictoriaMetrics"
  pass new "http://127.0.0.1:$port/write?db=plant&precision=ms" $start_ms
  pass known "http://127.0.0.1:$port/write?db=plant&precision=ms" $((start_ms + 1000))
  kill $pid; wait $pid || true; pid=
done
