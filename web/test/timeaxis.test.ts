import assert from "node:assert/strict";
import { test } from "node:test";
import { clampWindow, formatSpan, kMaxSpanMs, kMinSpanMs, panWindow, parseSpan, pointsForWidth, zoomWindow } from "../src/lib/timeaxis";

test("zooming in around an anchor keeps the anchor at the same place", () => {
  const w = { fromMs: 0, toMs: 1000_000 };
  const z = zoomWindow(w, 0.5, 250_000);
  assert.deepEqual(z, { fromMs: 125_000, toMs: 625_000 });
  assert.equal((250_000 - z.fromMs) / (z.toMs - z.fromMs), 0.25);
});

test("zooming out doubles the span around the centre by default", () => {
  assert.deepEqual(zoomWindow({ fromMs: 1000, toMs: 3000 }, 2), { fromMs: 0, toMs: 4000 });
});

test("zoom stops at one second and at ten years", () => {
  const tiny = zoomWindow({ fromMs: 0, toMs: 2000 }, 0.01, 1000);
  assert.equal(tiny.toMs - tiny.fromMs, kMinSpanMs);
  const huge = zoomWindow({ fromMs: 0, toMs: kMaxSpanMs }, 10);
  assert.equal(huge.toMs - huge.fromMs, kMaxSpanMs);
});

test("a huge window keeps its end; an inverted or tiny one widens around its centre", () => {
  assert.deepEqual(clampWindow({ fromMs: -1e15, toMs: 1e12 }), { fromMs: 1e12 - kMaxSpanMs, toMs: 1e12 });
  assert.deepEqual(clampWindow({ fromMs: NaN, toMs: 5e12 }), { fromMs: 5e12 - kMaxSpanMs, toMs: 5e12 });
  assert.deepEqual(clampWindow({ fromMs: 5000, toMs: 1000 }), { fromMs: 2500, toMs: 3500 });
  assert.deepEqual(clampWindow({ fromMs: NaN, toMs: NaN }, 10_000), { fromMs: 9500, toMs: 10_500 });
  assert.deepEqual(clampWindow({ fromMs: 0, toMs: 60_000 }), { fromMs: 0, toMs: 60_000 });
});

test("panning moves by a fraction of the span", () => {
  assert.deepEqual(panWindow({ fromMs: 0, toMs: 100 }, 0.5), { fromMs: 50, toMs: 150 });
  assert.deepEqual(panWindow({ fromMs: 0, toMs: 100 }, -1), { fromMs: -100, toMs: 0 });
});

test("spans parse and print", () => {
  assert.equal(parseSpan("1d"), 86_400_000);
  assert.equal(parseSpan("2h30m"), 9_000_000);
  assert.equal(parseSpan("1y"), 365 * 86_400_000);
  assert.equal(parseSpan("1x"), undefined);
  assert.equal(parseSpan("15m junk"), undefined);
  assert.equal(parseSpan(""), undefined);
  assert.equal(formatSpan(90_000), "1m30s");
  assert.equal(formatSpan(86_400_000 + 3_600_000 + 60_000), "1d1h");
  assert.equal(formatSpan(250), "250ms");
});

test("points asked for follow the chart's width within bounds", () => {
  assert.equal(pointsForWidth(800), 800);
  assert.equal(pointsForWidth(10), 50);
  assert.equal(pointsForWidth(100_000), 4_000);
});
