import assert from "node:assert/strict";
import { test } from "node:test";
import { parsePrometheus, ratePerSecond, sumOf } from "../src/lib/prom";

const text = `# HELP zhizao_ingest_points_total Points ingested
# TYPE zhizao_ingest_points_total counter
zhizao_ingest_points_total{source="sim"} 1200
zhizao_ingest_points_total{source="mqtt",note="a \\"q\\", b"} 300
zhizao_storage_head_bytes 4096
zhizao_http_request_duration_seconds_bucket{le="+Inf"} 7
`;

test("samples, labels with escapes and +Inf parse", () => {
  const s = parsePrometheus(text);
  assert.equal(s.length, 4);
  assert.deepEqual(s[1]!.labels, { source: "mqtt", note: 'a "q", b' });
  assert.equal(s[3]!.labels.le, "+Inf");
  assert.equal(s[3]!.value, 7);
});

test("sums add every label set; a missing metric is undefined", () => {
  const s = parsePrometheus(text);
  assert.equal(sumOf(s, "zhizao_ingest_points_total"), 1500);
  assert.equal(sumOf(s, "zhizao_nope"), undefined);
  assert.equal(sumOf(s, "zhizao_ingest_points_total", { source: "sim" }), 1200);
  assert.equal(sumOf(s, "zhizao_ingest_points_total", { source: "opcua" }), undefined);
});

test("rates need two readings and no counter reset", () => {
  assert.equal(ratePerSecond(100, 400, 3), 100);
  assert.equal(ratePerSecond(undefined, 400, 3), undefined);
  assert.equal(ratePerSecond(500, 400, 3), undefined);
  assert.equal(ratePerSecond(1, 2, 0), undefined);
});
