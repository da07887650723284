import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffDelayMs } from "../src/lib/backoff";

const opts = { initialMs: 500, maxMs: 8000 };

test("the delay doubles per attempt up to the cap", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 50].map((a) => backoffDelayMs(a, opts, 1)), [500, 1000, 2000, 4000, 8000, 8000, 8000]);
});

test("jitter keeps the delay between half and all of the ceiling", () => {
  assert.equal(backoffDelayMs(2, opts, 0), 1000);
  for (let i = 0; i < 100; ++i) {
    const d = backoffDelayMs(3, opts);
    assert.ok(d >= 2000 && d <= 4000, String(d));
  }
});
