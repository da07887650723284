import assert from "node:assert/strict";
import { test } from "node:test";
import { formatIndex, histogramScale, optionalNumber, pointTimes, spcPanels, violationSummary, violationsByPoint, zoneLines, type SpcPanel } from "../src/lib/spc";

const p = (index: number, value: number) => ({ value, center: 10, lcl: 7, ucl: 13, sigma: 1, index, n: 1, label: "" });

test("panels come in drawing order for Shewhart, EWMA and CUSUM answers", () => {
  const panel = (chart: string): SpcPanel => ({ chart, points: [], violations: [] });
  assert.deepEqual(spcPanels({ limits: {}, location: panel("individuals"), dispersion: panel("moving_range") }).map((x) => x.chart), ["individuals", "moving_range"]);
  assert.deepEqual(spcPanels({ params: {}, location: panel("ewma") }).map((x) => x.chart), ["ewma"]);
  assert.deepEqual(spcPanels({ params: {}, upper: panel("cusum_upper"), lower: panel("cusum_lower") }).map((x) => x.chart), ["cusum_upper", "cusum_lower"]);
});

test("each violating point gets the explanations of every rule it breaks", () => {
  const panel: SpcPanel = {
    chart: "individuals",
    points: [p(0, 10), p(1, 14)],
    violations: [
      { rule: 1, rule_name: "Nelson 1", points: [1], explanation: "beyond 3σ" },
      { rule: 5, rule_name: "Nelson 5", points: [0, 1], explanation: "2 of 3 beyond 2σ" },
    ],
  };
  const m = violationsByPoint(panel);
  assert.deepEqual(m.get(1), ["Nelson 1: beyond 3σ", "Nelson 5: 2 of 3 beyond 2σ"]);
  assert.deepEqual(m.get(0), ["Nelson 5: 2 of 3 beyond 2σ"]);
});

test("zones are thirds of the distance from center to UCL; x is the point's time when known", () => {
  const z = zoneLines([p(0, 10)]);
  assert.deepEqual([z.minus2[0], z.minus1[0], z.plus1[0], z.plus2[0]], [8, 9, 11, 12]);
  const panel: SpcPanel = { chart: "moving_range", points: [p(1, 1), p(2, 1)], violations: [] };
  assert.deepEqual(pointTimes(panel, ["1970-01-01T00:00:00Z", "1970-01-01T00:00:01Z"]), [1000, 2]);
});

test("the histogram's domain covers bins and spec limits with a margin; the tallest bar sets y", () => {
  const s = histogramScale({ lower: 10, width: 1, counts: [1, 4, 2] }, [8, 12, null]);
  assert.equal(s.bars.length, 3);
  assert.deepEqual(s.bars[2], { from: 12, to: 13, count: 2 });
  assert.equal(s.maxCount, 4);
  assert.ok(Math.abs(s.min - 7.75) < 1e-9 && Math.abs(s.max - 13.25) < 1e-9, `${s.min} ${s.max}`);
  const flat = histogramScale({ lower: 5, width: 0, counts: [0] }, []);
  assert.ok(flat.max > flat.min);
  assert.equal(flat.maxCount, 1);
});

test("indices print with their interval; missing ones as a dash; number fields parse or refuse", () => {
  assert.equal(formatIndex({ value: 1.333, ci: { lower: 1.1, upper: 1.564 } }), "1.33 [1.10, 1.56]");
  assert.equal(formatIndex({ value: 1.5, ci: null }), "1.50");
  assert.equal(formatIndex(null), "—");
  assert.equal(optionalNumber(" "), undefined);
  assert.equal(optionalNumber("2.5"), 2.5);
  assert.ok(Number.isNaN(optionalNumber("abc")));
});

test("violations are summarised per chart and rule, in the order rules first fire", () => {
  const v = (rule_name: string, points: number[], explanation = rule_name) => ({ rule: 0, rule_name, points, explanation });
  const panels: SpcPanel[] = [
    { chart: "individuals", points: [], violations: [v("Nelson 2", [1, 2], "first"), v("Nelson 1", [5]), v("Nelson 2", [2, 3], "second")] },
    { chart: "moving_range", points: [], violations: [v("Nelson 1", [4])] },
  ];
  const s = violationSummary(panels);
  assert.deepEqual(
    s.map((x) => [x.chart, x.rule, x.count, x.explanation, x.points]),
    [
      ["individuals", "Nelson 2", 2, "first", [1, 2, 3]],
      ["individuals", "Nelson 1", 1, "Nelson 1", [5]],
      ["moving_range", "Nelson 1", 1, "Nelson 1", [4]],
    ],
  );
});
