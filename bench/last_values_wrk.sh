#!/usr/bin/env bash
# Last values under load: wrk with 64 connections asks zhizao and VictoriaMetrics, in turn, for
# the last value of the 10 fields of one device (one request = 10 series), on the same data.
#
#   bench/last_values_wrk.sh [SECONDS]          # from the repository root; default 10 s each
#
# Needs: build/release/zhizao and the Debian packages wrk and victoria-metrics.
# The data: 1,000 devices x 10 fields x 10 min at 1 s (6 M points), written to both over HTTP
# /write in the same line protocol. zhizao answers GET /api/v1/series/last?tags=<10 paths>;
# VictoriaMetrics the equivalent instant query,
#   last_over_time({__name__=~"plant_f.", device="d0042"}[15m]).
# Both servers run on this host with wrk, so the figures share two cores three ways: compare
# them side by side, as a ratio, not with figures from elsewhere.
set -euo pipefail
seconds=${1:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

token=wrk-bench-token-0123456789
zz_port=18087
vm_port=18428
printf '[server]\nlisten = "127.0.0.1:%s"\n[storage]\ndata_dir = "%s/zhizao"\nfsync = "interval"\n[sim]\nenabled = false\n' \
  "$zz_port" "$work" > "$work/zhizao.toml"
ZHIZAO_ADMIN_TOKEN=$token "$root/build/release/zhizao" serve --config "$work/zhizao.toml" > "$work/zhizao.log" 2>&1 &
pids+=($!)
victoria-metrics -storageDataPath "$work/vm" -httpListenAddr "127.0.0.1:$vm_port" -search.latencyOffset=0s \
  > "$work/vm.log" 2>&1 &
pids+=($!)
for url in "http://127.0.0.1:$zz_port/healthz" "http://127.0.0.1:$vm_port/health"; do
  for _ in $(seq 100); do curl -sf "$url" >/dev/null && break; sleep 0.1; done
done

# 10 min of 1,000 devices, 10 fields each, ending now (ms timestamps), in POSTs of 5,000 lines.
end_ms=$(( $(date +%s) * 1000 ))
python3 - "$work/lines" "$end_ms" <<'PY'
import math, os, sys
out, end_ms = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
lines, part = [], 0
for second in range(600):
    ts = end_ms - (599 - second) * 1000
    for d in range(1000):
        fields = ",".join(f"f{f}={round(50 + 20 * math.sin((second + d * 7 + f) / 60), 2)}" for f in range(10))
        lines.append(f"plant,device=d{d:04d} {fields} {ts}\n")
        if len(lines) == 5000:
            open(f"{out}/{part:05d}.lp", "w").write("".join(lines)); lines = []; part += 1
PY
for f in "$work"/lines/*.lp; do
  curl -sf -H "Authorization: Token $token" --data-binary "@$f" "http://127.0.0.1:$zz_port/write?db=bench&precision=ms"
  curl -sf --data-binary "@$f" "http://127.0.0.1:$vm_port/write?precision=ms"
done
curl -sf "http://127.0.0.1:$vm_port/internal/force_flush" >/dev/null
sleep 2

tags=$(printf 'bench/plant/device-d0042.f%d,' 0 1 2 3 4 5 6 7 8 9)
zz_url="http://127.0.0.1:$zz_port/api/v1/series/last?tags=${tags%,}"
vm_url="http://127.0.0.1:$vm_port/api/v1/query?query=last_over_time(%7B__name__%3D~%22plant_f.%22%2Cdevice%3D%22d0042%22%7D%5B15m%5D)"
zz_values=$(curl -sf -H "Authorization: Token $token" "$zz_url" | python3 -c 'import json,sys; print(sum(v["value"] is not None for v in json.load(sys.stdin)["values"]))')
vm_values=$(curl -sf "$vm_url" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["data"]["result"]))')
echo "series answered: zhizao $zz_values, VictoriaMetrics $vm_values (both must be 10)"

echo "== VictoriaMetrics 1.79 (wrk -t2 -c64 -d${seconds}s)"
wrk -t2 -c64 -d"${seconds}s" --latency "$vm_url" | grep -E "Requests/sec|^ +(50|99)%|Non-2xx|Socket errors" || true
echo "== zhizao (wrk -t2 -c64 -d${seconds}s)"
wrk -t2 -c64 -d"${seconds}s" --latency -H "Authorization: Token $token" "$zz_url" | grep -E "Requests/sec|^ +(50|99)%|Non-2xx|Socket errors" || true
