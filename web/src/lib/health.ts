// Equipment health as GET /api/v1/health gives it, and how the console ranks and grades it.
// health = 1 - score of the asset's active model: 1 at the training data's centre, 0.5 at the
// model's alarm limit, falling towards 0 beyond it.

import { translate, type Lang } from "../i18n";

// The remaining-useful-life estimate of the asset's active RUL model (docs/analytics/registry.md):
// `seconds` after `as_of`, give or take `spread_seconds` (the ensemble members' standard deviation).
export interface Rul {
  model: string;
  version: number;
  ready: boolean;
  estimated_at: string; // when the server's background refresh computed it (it refreshes every minute)
  note?: string; // why there is no estimate yet, when not ready
  cycle_seconds: number;
  seconds?: number;
  hours?: number;
  spread_seconds?: number;
  spread_hours?: number;
  cycles?: number;
  spread_cycles?: number;
  as_of?: string;
}

export interface AssetHealth {
  asset: { id: number | null; path: string };
  model: { id: string; version: number; kind: string };
  time: string | null;
  health: number | null; // null: only a RUL model serves the asset
  score: number | null;
  alarm: boolean;
  contributions: { tag_id: number; path: string; weight: number }[];
  rul: Rul | null;
}

export type HealthLevel = "good" | "watch" | "alarm" | "none";

// Alarm past the limit; "watch" within a fifth of it (health below 0.6, i.e. the statistic
// above two thirds of its limit), so an engineer sees an asset drifting before it alarms.
// "none": no multivariate model scores the asset (only a RUL model serves it).
export function healthLevel(h: Pick<AssetHealth, "health" | "alarm">): HealthLevel {
  if (h.health === null) return "none";
  if (h.alarm || h.health <= 0.5) return "alarm";
  if (h.health < 0.6) return "watch";
  return "good";
}

// Worst first, then by asset path: what needs attention is on top. An asset without a health
// score counts as healthy here; its remaining life shows in its own column.
export function byAttention(list: AssetHealth[]): AssetHealth[] {
  return [...list].sort((a, b) => (a.health ?? 1) - (b.health ?? 1) || a.asset.path.localeCompare(b.asset.path));
}

// The entries of one asset (its path exactly; an asset's children are other assets), or all when
// no asset is asked for.
export function forAsset(list: AssetHealth[], path: string | null): AssetHealth[] {
  return path ? list.filter((a) => a.asset.path === path) : list;
}

export const percent = (v: number | null) => (v === null ? "—" : `${Math.round(Math.max(0, Math.min(1, v)) * 100)} %`);

// A duration in the unit that reads best: minutes under an hour, hours up to three days, days
// beyond; the spread in the same unit. Under 10 of the unit, one decimal; else whole numbers.
export function rulDuration(seconds: number, spreadSeconds: number): { value: string; spread: string; unit: "min" | "h" | "d" } {
  const hours = seconds / 3600;
  const [unit, per] = hours < 1 ? (["min", 60] as const) : hours <= 72 ? (["h", 3600] as const) : (["d", 86400] as const);
  const show = (v: number) => (v < 10 ? (Math.round(v * 10) / 10).toString() : Math.round(v).toString());
  return { value: show(Math.max(0, seconds) / per), spread: show(Math.max(0, spreadSeconds) / per), unit };
}

// "remaining life ≈ 42 h ± 5 h (model pump-rul v2, as of …)", or why there is none yet.
// `time` renders as_of (the view passes the browser's local time).
export function formatRul(r: Rul, lang: Lang, time: (iso: string) => string = (iso) => iso): string {
  if (!r.ready || r.seconds === undefined || r.as_of === undefined) {
    return translate(lang, "health.rul_pending", { model: r.model, version: r.version, note: r.note ?? "" });
  }
  const d = rulDuration(r.seconds, r.spread_seconds ?? 0);
  const unit = translate(lang, `health.unit.${d.unit}` as const);
  return translate(lang, "health.rul", { value: d.value, spread: d.spread, unit, model: r.model, version: r.version, as_of: time(r.as_of) });
}
