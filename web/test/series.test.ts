import assert from "node:assert/strict";
import { test } from "node:test";
import { alignSeries, appendLive, chartValue, unitAxes } from "../src/lib/series";

test("series with different timestamps align on their union, with gaps as null", () => {
  const d = alignSeries([
    { times: [1, 3, 5], values: [10, 30, 50] },
    { times: [2, 3], values: [200, 300] },
  ]);
  assert.deepEqual(d, [
    [1, 2, 3, 5],
    [10, null, 30, 50],
    [null, 200, 300, null],
  ]);
});

test("aligning nothing, or empty series, gives empty columns", () => {
  assert.deepEqual(alignSeries([]), [[]]);
  assert.deepEqual(alignSeries([{ times: [], values: [] }]), [[], []]);
});

test("live points append in order, skip repeats and drop what left the window", () => {
  const list = { times: [1, 2, 3], values: [1, 2, 3] as (number | null)[] };
  appendLive(list, [3, 4, 2, 5], [9, 4, 9, 5], 2);
  assert.deepEqual(list, { times: [2, 3, 4, 5], values: [2, 3, 4, 5] });
});

test("booleans chart as 0 and 1; strings and NaN as gaps", () => {
  assert.equal(chartValue(true), 1);
  assert.equal(chartValue(false), 0);
  assert.equal(chartValue(2.5), 2.5);
  assert.equal(chartValue("x"), null);
  assert.equal(chartValue(NaN), null);
  assert.equal(chartValue(null), null);
});

test("one axis per unit, in first-seen order", () => {
  assert.deepEqual(unitAxes(["bar", "degC", "bar", "", "degC"]), { axisOf: [0, 1, 0, 2, 1], units: ["bar", "degC", ""] });
});
