import assert from "node:assert/strict";
import { test } from "node:test";
import { alignSeries, appendLive, axisLimits, bucketMarks, chartValue, limitRange, nearestValue, unitAxes } from "../src/lib/series";

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

test("an axis ranges over its data and the nearest alarm limit on each side, padded", () => {
  const none = { lo: null, hi: null, lolo: null, hihi: null };
  assert.deepEqual(limitRange(50, 60, [none]), [49, 61]);
  // hi 80 is taken, hihi 95 (beyond it) is not; a tag with only hihi contributes it.
  assert.deepEqual(limitRange(50, 60, [{ ...none, hi: 80, hihi: 95 }]), [47, 83]);
  assert.deepEqual(limitRange(50, 60, [{ ...none, hihi: 70 }]), [48, 72]);
  // Low limits below the data, from two tags on one axis (the second has no lo: its lolo).
  assert.deepEqual(limitRange(5, 6, [{ ...none, lo: 3 }, { ...none, lolo: 1, hi: 6 }]), [0.5, 6.5]);
  // A limit inside the data's range changes nothing.
  assert.deepEqual(limitRange(0, 100, [{ ...none, hi: 50 }]), [-10, 110]);
  // No data: the limits alone; nothing at all: a unit range; one value: padded by a tenth of it.
  assert.deepEqual(limitRange(null, null, [{ ...none, lo: 0, hi: 10 }]), [-1, 11]);
  assert.deepEqual(limitRange(null, null, [none]), [0, 1]);
  assert.deepEqual(limitRange(20, 20, [none]), [18, 22]);
});

test("the readout takes a tag's value nearest in time to the row under the cursor, if near enough", () => {
  const xs = [0, 10, 25, 30, 100];
  const column = [1, null, null, 4, null];
  assert.equal(nearestValue(xs, column, 0, 50), 1); // its own
  assert.equal(nearestValue(xs, column, 1, 50), 1); // 10 from the left, 20 from the right
  assert.equal(nearestValue(xs, column, 2, 50), 4); // 25 from the left, 5 from the right
  assert.equal(nearestValue(xs, column, 4, 80), 4); // nothing to the right
  assert.equal(nearestValue(xs, column, 4, 50), null); // 70 away: the tag has no value here
  assert.equal(nearestValue(xs, [null, null, null, null, null], 2, 50), null);
});

test("history marks each bucket with bad or uncertain samples as the worse of what it holds", () => {
  const buckets = [
    { time: 0, samples: 10, count: 10, non_good: 0, bad: 0 },
    { time: 60_000, samples: 10, count: 8, non_good: 2, bad: 0 },
    { time: 120_000, samples: 10, count: 7, non_good: 3, bad: 1 },
  ];
  const marks = bucketMarks({ tag: "a/b", id: 1, bucket_width_ns: 60e9, points: [], buckets });
  assert.deepEqual(marks, [
    { fromMs: 60_000, toMs: 120_000, level: "uncertain" },
    { fromMs: 120_000, toMs: 180_000, level: "bad" },
  ]);
  assert.deepEqual(bucketMarks(undefined), []);
});

test("an axis is ranged by the limits of its shown tags only", () => {
  const a = { lolo: null, lo: 10, hi: 20, hihi: null };
  const b = { lolo: 0, lo: null, hi: null, hihi: 100 };
  const c = { lolo: null, lo: null, hi: 5, hihi: null };
  const axisOf = [0, 0, 1];
  assert.deepEqual(axisLimits([a, b, c], axisOf, 0, () => true), [a, b]);
  assert.deepEqual(axisLimits([a, b, c], axisOf, 0, (i) => i !== 1), [a]);
  assert.deepEqual(limitRange(12, 18, axisLimits([a, b, c], axisOf, 0, (i) => i !== 1)), [9, 21]);
});
