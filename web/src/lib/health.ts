// Equipment health as GET /api/v1/health gives it, and how the console ranks and grades it.
// health = 1 - score of the asset's active model: 1 at the training data's centre, 0.5 at the
// model's alarm limit, falling towards 0 beyond it.

export interface AssetHealth {
  asset: { id: number | null; path: string };
  model: { id: string; version: number; kind: string };
  time: string;
  health: number;
  score: number;
  alarm: boolean;
  contributions: { tag_id: number; path: string; weight: number }[];
  rul: { value: number; low: number; high: number; unit: string } | null;
}

export type HealthLevel = "good" | "watch" | "alarm";

// Alarm past the limit; "watch" within a fifth of it (health below 0.6, i.e. the statistic
// above two thirds of its limit), so an engineer sees an asset drifting before it alarms.
export function healthLevel(h: Pick<AssetHealth, "health" | "alarm">): HealthLevel {
  if (h.alarm || h.health <= 0.5) return "alarm";
  if (h.health < 0.6) return "watch";
  return "good";
}

// Worst first, then by asset path: what needs attention is on top.
export function byAttention(list: AssetHealth[]): AssetHealth[] {
  return [...list].sort((a, b) => a.health - b.health || a.asset.path.localeCompare(b.asset.path));
}

export const percent = (v: number) => `${Math.round(Math.max(0, Math.min(1, v)) * 100)} %`;
