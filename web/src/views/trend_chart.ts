// uPlot options of the trend chart: one y axis per unit, ranged to show each tag's nearest alarm
// limits, drawn as dashed lines; spans with bad or uncertain samples as marks under the plot;
// drag-to-zoom and wheel zoom handed back to the view (which refetches: the server decimates each
// window anew).

import uPlot from "uplot";
import type { Tag } from "../api";
import { formatLocalTime, type TimeWindow } from "../lib/timeaxis";
import { axisLimits, limitRange, nearestValue, type QualityMark, unitAxes } from "../lib/series";

export const kPalette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];

export interface ChartInput {
  width: number;
  height: number;
  tags: Tag[];
  marks: () => QualityMark[][]; // per tag, read at every draw (live samples add marks)
  window: () => TimeWindow;
  onSelect(fromMs: number, toMs: number): void;
  onWheel(factor: number, anchorMs: number): void;
  onDrawn(limits: number, marks: number): void; // what the last draw showed
}

const kMarkColour: Record<QualityMark["level"], string> = { bad: "#b3261e", uncertain: "#e6a700" };

export function buildChartOptions(input: ChartInput): uPlot.Options {
  const { axisOf, units } = unitAxes(input.tags.map((tg) => tg.unit));
  const scales: uPlot.Scales = { x: { time: true, range: () => [input.window().fromMs, input.window().toMs] } };
  units.forEach((u, axis) => {
    const limits = input.tags.map((tg) => tg.limits);
    scales[`u:${u}`] = {
      auto: true,
      range: (plot, min, max) => limitRange(min, max, axisLimits(limits, axisOf, axis, (i) => plot.series[i + 1]?.show !== false)),
    };
  });
  const axes: uPlot.Axis[] = [
    { scale: "x", values: (_u, ticks) => ticks.map((v) => timeLabel(v, input.window())) },
    ...units.map((u, i) => ({ scale: `u:${u}`, label: u || "—", side: i % 2 === 0 ? 3 : 1, grid: { show: i === 0 }, size: 60 }) as uPlot.Axis),
  ];
  const series: uPlot.Series[] = [
    { label: "time", value: (_u, v) => (v === null ? "" : formatLocalTime(v)) },
    ...input.tags.map((tg, i) => ({
      label: `${tg.path.split("/").slice(-2).join("/")}${tg.unit ? ` [${tg.unit}]` : ""}`,
      scale: `u:${units[axisOf[i]!]}`,
      stroke: kPalette[i % kPalette.length],
      width: 1.5,
      spanGaps: true,
      points: { show: false },
      value: (u: uPlot, v: number | null, si: number, row: number | null) => {
        // Within a fiftieth of the window: a few buckets, never a value from far away.
        const near = (input.window().toMs - input.window().fromMs) / 50;
        const shown = v ?? (row === null ? null : nearestValue(u.data[0] as number[], u.data[si] as (number | null)[], row, near));
        return shown === null ? "—" : Number(shown.toPrecision(6)).toString();
      },
    })),
  ];
  return {
    width: input.width,
    height: input.height,
    ms: 1, // x values are epoch milliseconds
    scales,
    axes,
    series,
    cursor: { drag: { x: true, y: false, setScale: false } },
    legend: { live: true },
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width < 5) return;
          const from = u.posToVal(u.select.left, "x");
          const to = u.posToVal(u.select.left + u.select.width, "x");
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          input.onSelect(Math.round(from), Math.round(to));
        },
      ],
      ready: [
        (u) => {
          u.over.addEventListener(
            "wheel",
            (e) => {
              e.preventDefault();
              const anchor = u.posToVal(e.offsetX, "x");
              input.onWheel(e.deltaY < 0 ? 0.75 : 1 / 0.75, anchor);
            },
            { passive: false },
          );
        },
      ],
      draw: [(u) => input.onDrawn(drawLimits(u, input.tags), drawMarks(u, input.marks()))],
    },
  };
}

function timeLabel(v: number, w: TimeWindow): string {
  const s = formatLocalTime(v);
  const span = w.toMs - w.fromMs;
  if (span > 2 * 86_400_000) return s.slice(5, 16); // MM-DD hh:mm
  if (span > 120_000) return s.slice(11, 16); // hh:mm
  return s.slice(11, 19); // hh:mm:ss
}

// Returns how many lines it drew.
function drawLimits(u: uPlot, tags: Tag[]): number {
  const ctx = u.ctx;
  let drawn = 0;
  ctx.save();
  ctx.setLineDash([6, 4]);
  ctx.lineWidth = 1;
  tags.forEach((tg, i) => {
    const scale = u.series[i + 1]?.scale;
    if (!scale || !u.series[i + 1]?.show) return;
    for (const limit of [tg.limits.lolo, tg.limits.lo, tg.limits.hi, tg.limits.hihi]) {
      if (limit === null) continue;
      const y = u.valToPos(limit, scale, true);
      if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) continue;
      ctx.strokeStyle = kPalette[i % kPalette.length]!;
      ctx.globalAlpha = 0.6;
      ctx.beginPath();
      ctx.moveTo(u.bbox.left, y);
      ctx.lineTo(u.bbox.left + u.bbox.width, y);
      ctx.stroke();
      ++drawn;
    }
  });
  ctx.restore();
  return drawn;
}

// Returns how many marks it drew.
function drawMarks(u: uPlot, marks: QualityMark[][]): number {
  const ctx = u.ctx;
  let drawn = 0;
  const band = 4 * devicePixelRatio;
  ctx.save();
  marks.forEach((list, i) => {
    const y = u.bbox.top + u.bbox.height - band * (i + 1);
    for (const m of list) {
      const x0 = Math.max(u.bbox.left, u.valToPos(m.fromMs, "x", true));
      const x1 = Math.min(u.bbox.left + u.bbox.width, u.valToPos(m.toMs, "x", true));
      if (x1 < x0) continue;
      ctx.fillStyle = kMarkColour[m.level];
      ctx.fillRect(x0, y, Math.max(x1 - x0, 2), band);
      ++drawn;
    }
  });
  ctx.restore();
  return drawn;
}
