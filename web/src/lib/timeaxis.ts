// Time-window arithmetic of the trend view: zoom, pan, how many points to ask the server for,
// and the labels of a range. Times are epoch milliseconds.

export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

export const kMinSpanMs = 1_000; // narrower than a second shows nothing a sample period doesn't
export const kMaxSpanMs = 10 * 366 * 86_400_000; // ten years: a "huge range" is clamped here

// Points to ask /api/v1/series/aggregate for: about one per horizontal pixel, since the server's
// decimation keeps first, last, min and max per bucket (up to 4 points each).
export function pointsForWidth(widthPx: number): number {
  return Math.max(50, Math.min(4_000, Math.round(widthPx)));
}

// A window too wide keeps its end (the recent side matters most) and loses its start; one too
// narrow, or inverted, or not a number, widens around its centre.
export function clampWindow(w: TimeWindow, nowMs = Date.now()): TimeWindow {
  const to = Number.isFinite(w.toMs) ? w.toMs : nowMs;
  const span = w.toMs - w.fromMs;
  if (span > kMaxSpanMs || (!Number.isFinite(w.fromMs) && Number.isFinite(w.toMs))) return { fromMs: Math.round(to - kMaxSpanMs), toMs: Math.round(to) };
  if (Number.isFinite(span) && span >= kMinSpanMs) return { fromMs: Math.round(w.fromMs), toMs: Math.round(w.toMs) };
  const centre = Number.isFinite(span) ? (w.toMs + w.fromMs) / 2 : nowMs;
  return { fromMs: Math.round(centre - kMinSpanMs / 2), toMs: Math.round(centre + kMinSpanMs / 2) };
}

// Zooms around `anchorMs` (kept at the same place on screen); factor < 1 zooms in.
export function zoomWindow(w: TimeWindow, factor: number, anchorMs = (w.fromMs + w.toMs) / 2): TimeWindow {
  const from = anchorMs - (anchorMs - w.fromMs) * factor;
  const to = anchorMs + (w.toMs - anchorMs) * factor;
  const span = to - from;
  if (span < kMinSpanMs || span > kMaxSpanMs) {
    const clamped = Math.min(Math.max(span, kMinSpanMs), kMaxSpanMs);
    const share = (anchorMs - w.fromMs) / (w.toMs - w.fromMs || 1);
    return { fromMs: Math.round(anchorMs - clamped * share), toMs: Math.round(anchorMs + clamped * (1 - share)) };
  }
  return { fromMs: Math.round(from), toMs: Math.round(to) };
}

// Moves by `fraction` of the span: +0.5 moves half a window later.
export function panWindow(w: TimeWindow, fraction: number): TimeWindow {
  const shift = Math.round((w.toMs - w.fromMs) * fraction);
  return { fromMs: w.fromMs + shift, toMs: w.toMs + shift };
}

export function lastWindow(spanMs: number, nowMs: number): TimeWindow {
  return { fromMs: nowMs - spanMs, toMs: nowMs };
}

// "1d", "15m", "2h30m", "1y" (365 days): the presets' and the URL's durations.
export function parseSpan(text: string): number | undefined {
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  const unit: Record<string, number> = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8, y: 3.1536e10 };
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * unit[m[2]!]!;
    matched += m[0].length;
  }
  return matched === text.length && total > 0 ? total : undefined;
}

// A short human span: 90_000 → "1m30s".
export function formatSpan(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [["d", 86_400], ["h", 3_600], ["m", 60], ["s", 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.length ? parts.join("") : `${Math.round(ms)}ms`;
}

// Local time for the cursor readout and CSV, to the millisecond, sortable.
export function formatLocalTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
