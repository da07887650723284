// Turns per-tag point lists (each in time order, with their own timestamps) into the aligned
// columns uPlot draws: one shared, sorted x column and one y column per tag, null where a tag has
// no point at that time.

import type { DecimatedSeries } from "../api";

export interface PointList {
  times: number[]; // epoch ms, ascending
  values: (number | null)[];
}

export type Aligned = [number[], ...(number | null)[][]];

export function alignSeries(lists: PointList[]): Aligned {
  const all: number[] = [];
  for (const l of lists) for (const t of l.times) all.push(t);
  all.sort((a, b) => a - b);
  const xs: number[] = [];
  for (const t of all) if (xs.length === 0 || xs[xs.length - 1] !== t) xs.push(t);
  const columns = lists.map((l) => {
    const ys: (number | null)[] = new Array(xs.length).fill(null);
    let j = 0; // both are sorted: one walk, no map
    for (let i = 0; i < l.times.length; ++i) {
      const t = l.times[i]!;
      while (xs[j]! < t) ++j;
      ys[j] = l.values[i] ?? null;
    }
    return ys;
  });
  return [xs, ...columns];
}

// Appends live points to a list, dropping those older than `fromMs` and any that arrive out
// of order (the stream sends each tag in time order; a repeat after a reconnect is skipped).
export function appendLive(list: PointList, times: number[], values: (number | null)[], fromMs: number): void {
  for (let i = 0; i < times.length; ++i) {
    const t = times[i]!;
    const last = list.times.length ? list.times[list.times.length - 1]! : -Infinity;
    if (t <= last) continue;
    list.times.push(t);
    list.values.push(values[i] ?? null);
  }
  let drop = 0;
  while (drop < list.times.length && list.times[drop]! < fromMs) ++drop;
  if (drop) {
    list.times.splice(0, drop);
    list.values.splice(0, drop);
  }
}

// Numbers as the API sends them: booleans chart as 0/1, null and non-numbers as gaps.
export function chartValue(v: unknown): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  return null;
}

// Groups tags by unit, in first-seen order: one y axis per unit ("" counts as its own unit).
export function unitAxes(units: string[]): { axisOf: number[]; units: string[] } {
  const order: string[] = [];
  const axisOf = units.map((u) => {
    let i = order.indexOf(u);
    if (i < 0) i = order.push(u) - 1;
    return i;
  });
  return { axisOf, units: order };
}

export interface Limits {
  lo: number | null;
  hi: number | null;
  lolo: number | null;
  hihi: number | null;
}

// The y range of an axis: its data's, widened to the nearest alarm limit on each side of each of
// its tags (lo, or lolo when a tag has no lo; hi, or hihi), so that an engineer sees how far the
// values are from alarming rather than limits drawn off the chart. A tenth of the span is added
// above and below. [0, 1] when there is nothing to range over.
// The alarm limits that range axis `axis`: those of its tags (axisOf: each tag's axis) that are
// shown. A tag hidden from the legend draws no limit lines, so it must not stretch its axis.
export function axisLimits(limits: Limits[], axisOf: number[], axis: number, shown: (tag: number) => boolean): Limits[] {
  return limits.filter((_l, i) => axisOf[i] === axis && shown(i));
}

export function limitRange(dataMin: number | null, dataMax: number | null, limits: Limits[]): [number, number] {
  let lo = dataMin ?? Infinity;
  let hi = dataMax ?? -Infinity;
  for (const l of limits) {
    const low = l.lo ?? l.lolo;
    const high = l.hi ?? l.hihi;
    for (const limit of [low, high]) {
      if (limit === null) continue;
      lo = Math.min(lo, limit);
      hi = Math.max(hi, limit);
    }
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  const pad = hi > lo ? (hi - lo) / 10 : Math.max(Math.abs(hi) / 10, 1);
  return [lo - pad, hi + pad];
}

// The value of `column` nearest in time to row `row` of the aligned data (tags decimated apart
// have their points at different times: the row under the cursor is often another tag's), if it
// is at most `maxGapMs` away; null otherwise (a tag whose data stopped has no value here).
export function nearestValue(xs: number[], column: (number | null)[], row: number, maxGapMs: number): number | null {
  if (column[row] !== null && column[row] !== undefined) return column[row]!;
  let best: number | null = null;
  let bestGap = Infinity;
  for (let i = row - 1; i >= 0; --i) {
    if (column[i] === null || column[i] === undefined) continue;
    best = column[i]!;
    bestGap = xs[row]! - xs[i]!;
    break;
  }
  for (let i = row + 1; i < column.length; ++i) {
    if (column[i] === null || column[i] === undefined) continue;
    if (xs[i]! - xs[row]! < bestGap) {
      best = column[i]!;
      bestGap = xs[i]! - xs[row]!;
    }
    break;
  }
  return bestGap <= maxGapMs ? best : null;
}

export interface QualityMark {
  fromMs: number;
  toMs: number;
  level: "bad" | "uncertain";
}

// The marks of a decimated series: every bucket that holds a bad or uncertain sample, marked as
// the worse of what it holds.
export function bucketMarks(series: DecimatedSeries | undefined): QualityMark[] {
  const width = (series?.bucket_width_ns ?? 0) / 1e6;
  return (series?.buckets ?? [])
    .filter((b) => b.non_good > 0)
    .map((b) => ({ fromMs: b.time, toMs: b.time + width, level: b.bad > 0 ? ("bad" as const) : ("uncertain" as const) }));
}
