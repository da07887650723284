import assert from "node:assert/strict";
import { test } from "node:test";
import { byAttention, healthLevel, percent, type AssetHealth } from "../src/lib/health";

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

test("percent rounds and clamps", () => {
  assert.equal(percent(0.604), "60 %");
  assert.equal(percent(1.2), "100 %");
  assert.equal(percent(-0.1), "0 %");
});
