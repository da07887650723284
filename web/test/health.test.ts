import assert from "node:assert/strict";
import { test } from "node:test";
import { byAttention, forAsset, formatRul, healthLevel, percent, rulDuration, type AssetHealth, type Rul } from "../src/lib/health";

const at = (path: string, health: number, alarm = false): AssetHealth => ({
  asset: { id: 1, path },
  model: { id: "m", version: 1, kind: "pca" },
  time: "2026-11-29T10:00:00Z",
  health,
  score: 1 - health,
  alarm,
  contributions: [],
  rul: null,
});

test("levels: alarm at or past the limit, watch within a fifth of it, good otherwise", () => {
  assert.equal(healthLevel(at("a", 0.9)), "good");
  assert.equal(healthLevel(at("a", 0.6)), "good");
  assert.equal(healthLevel(at("a", 0.59)), "watch");
  assert.equal(healthLevel(at("a", 0.5)), "alarm");
  assert.equal(healthLevel(at("a", 0.55, true)), "alarm");
});

test("the worst asset comes first, ties by path", () => {
  const sorted = byAttention([at("b", 0.9), at("c", 0.2), at("a", 0.9)]);
  assert.deepEqual(sorted.map((h) => h.asset.path), ["c", "a", "b"]);
});

test("one asset's entries are those of its exact path; none asked for is all", () => {
  const list = [at("demo/P1", 0.9), at("demo/P1", 0.7), at("demo/P10", 0.8), at("demo", 0.5)];
  assert.deepEqual(forAsset(list, "demo/P1").map((h) => h.health), [0.9, 0.7]);
  assert.deepEqual(forAsset(list, "demo/P2"), []);
  assert.equal(forAsset(list, null).length, 4);
});

test("percent rounds and clamps", () => {
  assert.equal(percent(0.604), "60 %");
  assert.equal(percent(1.2), "100 %");
  assert.equal(percent(-0.1), "0 %");
});

test("an asset only a RUL model serves has no health level and sorts as healthy", () => {
  const rulOnly: AssetHealth = { ...at("b", 0), health: null, score: null };
  assert.equal(healthLevel(rulOnly), "none");
  assert.deepEqual(byAttention([rulOnly, at("c", 0.3)]).map((h) => h.asset.path), ["c", "b"]);
  assert.equal(percent(null), "—");
});

test("remaining life reads in minutes under an hour, hours up to three days, days beyond", () => {
  assert.deepEqual(rulDuration(42 * 3600, 5 * 3600), { value: "42", spread: "5", unit: "h" });
  assert.deepEqual(rulDuration(1800, 600), { value: "30", spread: "10", unit: "min" });
  assert.deepEqual(rulDuration(72 * 3600, 3600), { value: "72", spread: "1", unit: "h" });
  assert.deepEqual(rulDuration(10 * 86400, 1.25 * 86400), { value: "10", spread: "1.3", unit: "d" });
  assert.deepEqual(rulDuration(-5, 0), { value: "0", spread: "0", unit: "min" });
});

const ready: Rul = {
  model: "pump-rul",
  version: 2,
  ready: true,
  cycle_seconds: 3600,
  seconds: 151200,
  hours: 42,
  spread_seconds: 18000,
  spread_hours: 5,
  cycles: 42,
  spread_cycles: 5,
  as_of: "2026-11-29T08:00:00Z",
  estimated_at: "2026-11-29T08:00:30Z",
};

test("a RUL estimate shows value, spread, model, version and as-of in English and Chinese", () => {
  assert.equal(formatRul(ready, "en"), "remaining life ≈ 42 h ± 5 h (model pump-rul v2, as of 2026-11-29T08:00:00Z)");
  assert.equal(formatRul(ready, "zh-CN"), "剩余寿命 ≈ 42 小时 ± 5 小时（模型 pump-rul v2，截至 2026-11-29T08:00:00Z）");
  assert.equal(formatRul(ready, "en", () => "local"), "remaining life ≈ 42 h ± 5 h (model pump-rul v2, as of local)");
});

test("a RUL model without enough history says so", () => {
  const pending: Rul = { model: "pump-rul", version: 2, ready: false, cycle_seconds: 3600, estimated_at: "2026-11-29T08:00:30Z", note: "not enough history yet: 3 of 30 cycles since the run began" };
  assert.equal(formatRul(pending, "en"), "no estimate yet from model pump-rul v2: not enough history yet: 3 of 30 cycles since the run began");
});
