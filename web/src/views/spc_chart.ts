// Drawing for the SPC view: a control chart panel as uPlot (points, center line, UCL/LCL, the
// optional 1σ/2σ zones, violating points ringed in red) and the histogram with LSL/USL/target
// lines on a plain canvas.

import uPlot from "uplot";
import { formatLocalTime } from "../lib/timeaxis";
import { histogramScale, zoneLines, type Capability, type SpcPanel } from "../lib/spc";

export interface PanelInput {
  panel: SpcPanel;
  xs: number[]; // epoch ms, or point indexes when `time` is false
  time: boolean;
  width: number;
  height: number;
  zones: boolean;
  flagged: Map<number, string[]>; // point index → explanations
  onHover(text: string): void;
}

const num = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : Number(v.toPrecision(5)).toString());

export function controlChart(input: PanelInput, into: HTMLElement): uPlot {
  const { panel, xs } = input;
  const pts = panel.points;
  const z = zoneLines(pts);
  const line = (label: string, stroke: string, dash?: number[]): uPlot.Series => ({ label, stroke, width: 1, dash, points: { show: false }, value: (_u, v) => num(v) });
  const series: uPlot.Series[] = [
    input.time ? { label: "time", value: (_u, v) => (v === null ? "" : formatLocalTime(v)) } : { label: "#", value: (_u, v) => (v === null ? "" : String(v)) },
    { label: panel.chart, stroke: "#1f77b4", width: 1.5, points: { show: true, size: 4 }, value: (_u, v) => num(v) },
    line("CL", "#2ca02c"),
    line("UCL", "#b3261e", [6, 4]),
    line("LCL", "#b3261e", [6, 4]),
  ];
  const data: (number | null)[][] = [xs, pts.map((p) => p.value), pts.map((p) => p.center), pts.map((p) => p.ucl), pts.map((p) => p.lcl)];
  if (input.zones) {
    for (const [label, ys] of [["+2σ", z.plus2], ["+1σ", z.plus1], ["−1σ", z.minus1], ["−2σ", z.minus2]] as const) {
      series.push({ ...line(label, "#e6a700", [2, 4]), width: 0.8 });
      data.push(ys);
    }
  }
  const opts: uPlot.Options = {
    width: input.width,
    height: input.height,
    ms: 1,
    scales: { x: { time: input.time } },
    series,
    // Subgroup numbers are whole: no ticks between them.
    axes: [input.time ? {} : { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000] }, { size: 60 }],
    legend: { live: true },
    hooks: {
      draw: [(u) => ringViolations(u, input)],
      setCursor: [
        (u) => {
          const i = u.cursor.idx;
          const p = i === null || i === undefined ? undefined : pts[i];
          input.onHover(p ? (input.flagged.get(p.index) ?? []).join(" · ") : "");
        },
      ],
    },
  };
  return new uPlot(opts, data as uPlot.AlignedData, into);
}

function ringViolations(u: uPlot, input: PanelInput): void {
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = "#b3261e";
  ctx.lineWidth = 2 * devicePixelRatio;
  input.panel.points.forEach((p, i) => {
    if (!input.flagged.has(p.index)) return;
    const x = u.valToPos(input.xs[i]!, "x", true);
    const y = u.valToPos(p.value, "y", true);
    ctx.beginPath();
    ctx.arc(x, y, 6 * devicePixelRatio, 0, 2 * Math.PI);
    ctx.stroke();
  });
  ctx.restore();
}

// The histogram of the charted values with the spec limits; drawn at the device's pixel ratio.
export function histogramCanvas(cap: Capability, width: number, height: number, unit: string): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  const dpr = devicePixelRatio || 1;
  canvas.width = width * dpr;
  canvas.height = height * dpr;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas.id = "spc-histogram";
  const ctx = canvas.getContext("2d");
  if (!ctx) return canvas;
  ctx.scale(dpr, dpr);
  const { lsl, usl, target } = cap.spec;
  const s = histogramScale(cap.histogram, [lsl, usl, target]);
  const pad = { left: 40, right: 10, top: 16, bottom: 28 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (v: number) => pad.left + ((v - s.min) / (s.max - s.min)) * plotW;
  const y = (c: number) => pad.top + plotH - (c / s.maxCount) * plotH;
  ctx.font = "11px sans-serif";
  ctx.fillStyle = "#1f77b4";
  for (const b of s.bars) ctx.fillRect(x(b.from) + 0.5, y(b.count), Math.max(1, x(b.to) - x(b.from) - 1), pad.top + plotH - y(b.count));
  ctx.strokeStyle = "#57606a";
  ctx.beginPath();
  ctx.moveTo(pad.left, pad.top + plotH);
  ctx.lineTo(pad.left + plotW, pad.top + plotH);
  ctx.moveTo(pad.left, pad.top);
  ctx.lineTo(pad.left, pad.top + plotH);
  ctx.stroke();
  ctx.fillStyle = "#57606a";
  ctx.textAlign = "center";
  for (let i = 0; i <= 4; ++i) {
    const v = s.min + ((s.max - s.min) * i) / 4;
    ctx.fillText(num(v), x(v), height - 10);
  }
  ctx.textAlign = "right";
  ctx.fillText(String(s.maxCount), pad.left - 4, pad.top + 8);
  ctx.fillText("0", pad.left - 4, pad.top + plotH);
  if (unit) ctx.fillText(unit, width - pad.right, height - 0);
  const mark = (v: number | null, label: string, colour: string) => {
    if (v === null) return;
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.setLineDash([5, 3]);
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x(v), pad.top);
    ctx.lineTo(x(v), pad.top + plotH);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.textAlign = "center";
    ctx.fillText(label, x(v), pad.top - 4);
  };
  mark(lsl, "LSL", "#b3261e");
  mark(usl, "USL", "#b3261e");
  mark(target, "T", "#2ca02c");
  return canvas;
}
