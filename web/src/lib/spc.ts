// The answer of GET /api/v1/spc and what the SPC view computes from it: the chart panels
// (location/dispersion, EWMA, CUSUM upper/lower all have the same shape), which points violate
// which rule, the 1σ/2σ zones, and the histogram's scale with spec limits. Pure functions:
// unit-tested in test/spc.test.ts.

export interface SpcPoint {
  value: number;
  center: number;
  lcl: number;
  ucl: number;
  sigma: number;
  index: number;
  n: number;
  label: string;
}
export interface SpcViolation {
  rule: number | string;
  rule_name: string;
  points: number[]; // indexes into the panel's points (their `index`)
  explanation: string;
}
export interface SpcPanel {
  chart: string;
  points: SpcPoint[];
  violations: SpcViolation[];
}
export interface Interval {
  value: number;
  ci: { lower: number; upper: number } | null;
}
export interface Capability {
  cp: Interval | null;
  cpk: Interval | null;
  pp: Interval | null;
  ppk: Interval | null;
  cpm: Interval | null;
  confidence?: number;
  mean: number;
  n: number;
  histogram: { lower: number; width: number; counts: number[] };
  normality: { note: string; normal_rejected: boolean } | null;
  spec: { lsl: number | null; usl: number | null; target: number | null };
  observed_out_of_spec_ppm?: number;
  expected_out_of_spec_ppm?: number;
}
export interface SpcAnswer {
  tag: { id: number; path: string; unit: string };
  chart: string;
  baseline: { from: string; to: string; samples: number; excluded: number };
  range: { from: string; to: string; samples: number; excluded: number };
  result: Record<string, unknown>;
  capability: Capability | null;
  times: string[];
}

function isPanel(x: unknown): x is SpcPanel {
  return typeof x === "object" && x !== null && Array.isArray((x as SpcPanel).points);
}

// The panels to draw, in order: location then dispersion (Shewhart), location (EWMA),
// upper then lower (CUSUM).
export function spcPanels(result: Record<string, unknown>): SpcPanel[] {
  return ["location", "dispersion", "upper", "lower"].map((k) => result[k]).filter(isPanel);
}

// Point index → explanations of the rules it breaks.
export function violationsByPoint(panel: SpcPanel): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const v of panel.violations) {
    for (const i of v.points) {
      const list = out.get(i) ?? [];
      list.push(`${v.rule_name}: ${v.explanation}`);
      out.set(i, list);
    }
  }
  return out;
}

// x of a point: its time when the answer gives one per point (times[] matches location points),
// else its index.
export function pointTimes(panel: SpcPanel, times: readonly string[]): number[] {
  return panel.points.map((p) => {
    const t = times[p.index];
    return t !== undefined ? Date.parse(t) : p.index;
  });
}

// The lines of the 1σ and 2σ zones around the center (Shewhart zones C/B), per point; the zone
// width is (ucl − center)/3 so it follows the limits (which may vary with subgroup size).
export function zoneLines(points: readonly SpcPoint[]): { plus1: number[]; minus1: number[]; plus2: number[]; minus2: number[] } {
  const step = (p: SpcPoint) => (p.ucl - p.center) / 3;
  return {
    plus1: points.map((p) => p.center + step(p)),
    minus1: points.map((p) => p.center - step(p)),
    plus2: points.map((p) => p.center + 2 * step(p)),
    minus2: points.map((p) => p.center - 2 * step(p)),
  };
}

export interface HistogramScale {
  min: number; // x domain, covering the bins and the spec limits
  max: number;
  maxCount: number;
  bars: { from: number; to: number; count: number }[];
}

// The histogram's x domain covers every bin and the LSL/USL/target (so out-of-spec data and the
// limits are both visible), with a margin of 5 % each side; y goes to the largest count.
export function histogramScale(h: { lower: number; width: number; counts: number[] }, marks: (number | null)[]): HistogramScale {
  const bars = h.counts.map((count, i) => ({ from: h.lower + i * h.width, to: h.lower + (i + 1) * h.width, count }));
  const xs = [h.lower, h.lower + h.counts.length * h.width, ...marks.filter((m): m is number => m !== null && Number.isFinite(m))];
  let min = Math.min(...xs);
  let max = Math.max(...xs);
  if (!(max > min)) (min -= 1, (max += 1));
  const margin = (max - min) * 0.05;
  return { min: min - margin, max: max + margin, maxCount: Math.max(1, ...h.counts), bars };
}

// "1.33 [1.10, 1.56]" (the interval when the server gives one), "—" when there is no index.
export function formatIndex(i: Interval | null | undefined): string {
  if (!i || !Number.isFinite(i.value)) return "—";
  const f = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
  return i.ci ? `${f(i.value)} [${f(i.ci.lower)}, ${f(i.ci.upper)}]` : f(i.value);
}

// A number field of the form: empty → undefined; not a number → NaN (the view refuses it).
export function optionalNumber(text: string): number | undefined {
  const s = text.trim();
  return s === "" ? undefined : Number(s);
}

export interface RuleSummary {
  chart: string;
  rule: string; // rule_name
  count: number; // how many times the rule fired on this chart
  explanation: string; // the first firing's
  points: number[]; // every flagged point index, ascending, no repeats
}

// One line per chart and rule (a step in the process fires some rules dozens of times):
// in the order the rules first fire.
export function violationSummary(panels: readonly SpcPanel[]): RuleSummary[] {
  const out: RuleSummary[] = [];
  for (const panel of panels) {
    const byRule = new Map<string, RuleSummary>();
    for (const v of panel.violations) {
      let s = byRule.get(v.rule_name);
      if (!s) {
        s = { chart: panel.chart, rule: v.rule_name, count: 0, explanation: v.explanation, points: [] };
        byRule.set(v.rule_name, s);
        out.push(s);
      }
      s.count += 1;
      s.points.push(...v.points);
    }
    for (const s of byRule.values()) s.points = [...new Set(s.points)].sort((a, b) => a - b);
  }
  return out;
}
