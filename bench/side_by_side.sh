#!/usr/bin/env bash
# zhizao, VictoriaMetrics and InfluxDB side by side on the plant workload of ../shared/bench, in
# one run: the same lpgen load over HTTP /write, the same five InfluxQL/PromQL queries.
#
#   bench/side_by_side.sh [base|wide] [RESULTS_DIR]      # from the repository root
#
# Needs: build/release/zhizao (or ZZ_BIN), ../shared/bench, the Debian packages victoria-metrics and influxdb.
# zhizao runs twice: fsync = "interval" (compare with VictoriaMetrics, which acknowledges from
# memory) and fsync = "always" (compare with InfluxDB, which fsyncs its WAL per write), both
# with live analytics on, as `serve` runs by default. ZZ_VARIANTS picks the runs: any of
# interval, always, interval-noanalytics (the historian alone, as the peers are).
# ZZ_SKIP_PEERS=1 runs zhizao only.
# Results: one JSON per run under RESULTS_DIR, and per zhizao run disk-files.tsv (each file of
# its data dir after the queries: bytes, KiB allocated, path); `python3 summarize.py DIR` in the bench copy
# prints the table that docs/benchmarks.md quotes.
set -euo pipefail
workload=${1:-base}
root=$(cd "$(dirname "$0")/.." && pwd)
results=$(realpath -m "${2:-$root/build/bench-results}")
shared=${ZZ_SHARED_BENCH:-$root/../shared/bench}
bin=$(realpath "${ZZ_BIN:-$root/build/release/zhizao}")
[ -f "$shared/bench.py" ] || { echo "side_by_side: $shared/bench.py not found (../shared is missing)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$shared/." "$work/bench" && chmod -R u+w "$work/bench"
cd "$work/bench"
g++ -O2 -std=c++17 -pthread -o lpgen lpgen.cpp
mkdir -p "$results"

if [ -z "${ZZ_SKIP_PEERS:-}" ]; then
  python3 bench.py run --server victoriametrics --workload "$workload" --rep 1 --results "$results"
  python3 bench.py run --server influxdb --workload "$workload" --rep 1 --results "$results"
fi

token=side-by-side-token-0123456789
port=18086
for variant in ${ZZ_VARIANTS:-interval always}; do
  fsync=${variant%%-*}
  analytics=true
  [ "$variant" = "${fsync}-noanalytics" ] && analytics=false
  data="$work/zhizao-$variant"
  printf '[server]\nlisten = "127.0.0.1:%s"\n[storage]\ndata_dir = "%s"\nfsync = "%s"\n[sim]\nenabled = false\n[analytics]\nenabled = %s\n' \
    "$port" "$data" "$fsync" "$analytics" > "$work/zhizao-$variant.toml"
  ZHIZAO_ADMIN_TOKEN=$token "$bin" serve --config "$work/zhizao-$variant.toml" \
    > "$work/zhizao-$variant.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  BENCH_AUTH_HEADER="Authorization: Token $token" python3 bench.py run --server custom --workload "$workload" \
    --rep 1 --write-url "http://127.0.0.1:$port/write?db=bench&precision=ms" --pid "$pid" --du "$data" \
    --flush-url "http://127.0.0.1:$port/api/v1/admin/flush?compact=true" --settle 5 --query-dialect influxql \
    --results "$results/zhizao-$variant"
  # Where the bytes are: the chunk store, the catalog, the WAL, the analytics' state.
  find "$data" -type f -printf '%s\t%k\t%P\n' | sort -k3 > "$results/zhizao-$variant/disk-files.tsv"
  kill "$pid"; wait "$pid" || true
done
python3 summarize.py "$results" "$results"/zhizao-*
