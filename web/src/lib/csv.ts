// CSV of what a chart shows (RFC 4180: CRLF rows, fields with a comma, quote or newline quoted).

import type { Aligned } from "./series";

export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}

// Rows of the aligned data inside [fromMs, toMs]: time as RFC 3339 UTC, then each column.
// Rows where every column is empty are left out.
export function visibleCsv(names: string[], data: Aligned, fromMs: number, toMs: number): string {
  const [xs, ...ys] = data;
  const rows: (string | number | null)[][] = [];
  for (let i = 0; i < xs.length; ++i) {
    const t = xs[i]!;
    if (t < fromMs || t > toMs) continue;
    const cells = ys.map((col) => col[i] ?? null);
    if (cells.every((c) => c === null)) continue;
    rows.push([new Date(t).toISOString(), ...cells]);
  }
  return toCsv(["time", ...names], rows);
}
