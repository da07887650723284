// Alert events (GET /api/v1/events, and "event" messages of /api/v1/stream): the shapes, how live
// changes merge into the list on screen, the filters of the Alerts page, contribution weights as
// bars, and open-alert counts per asset. Pure functions: unit-tested in test/events.test.ts.

export type Severity = "low" | "medium" | "high" | "critical";

export interface Contribution {
  tag_id: number;
  path: string;
  weight: number;
}

export interface AlertEvent {
  id: number;
  asset: { id: number; path: string };
  source: string; // "tag:<path>"
  detector: string;
  model: { id: string; version: number } | null; // null: a streaming detector, no trained model
  severity: Severity;
  score: number;
  threshold: number;
  start: string;
  end: string | null; // null while active
  last: string;
  active: boolean;
  returns: number;
  message: string;
  contributions: Contribution[];
  acknowledged: { by: string; time: string } | null;
  shelved: { by: string; until: string } | null;
  generated_by: string; // "ai": raised by a learnt detector or model; "rule": by a configured limit or a device
  data: string; // a /api/v1/series/range link around the event
}

export type EventChange = "opened" | "updated" | "cleared" | "reopened";

export const kSeverityRank: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

// Newest start first; ties by id, newest first.
function byStartDesc(a: AlertEvent, b: AlertEvent): number {
  return Date.parse(b.start) - Date.parse(a.start) || b.id - a.id;
}

// The list after one live change: the event replaces the one with its id (every change carries
// the whole event, so the newer copy wins) or joins the list; the order stays newest first.
// A copy whose `last` is older than the held one is stale (it crossed a fresher GET) and is ignored.
export function mergeEvent(list: readonly AlertEvent[], event: AlertEvent): AlertEvent[] {
  const i = list.findIndex((e) => e.id === event.id);
  if (i >= 0 && Date.parse(list[i]!.last) > Date.parse(event.last)) return [...list];
  const out = i >= 0 ? [...list.slice(0, i), event, ...list.slice(i + 1)] : [...list, event];
  return out.sort(byStartDesc);
}

export interface EventFilter {
  activeOnly: boolean;
  showShelved: boolean;
}

export function isShelved(e: AlertEvent, nowMs: number): boolean {
  return e.shelved !== null && Date.parse(e.shelved.until) > nowMs;
}

export function filterEvents(list: readonly AlertEvent[], f: EventFilter, nowMs: number): AlertEvent[] {
  return list.filter((e) => (!f.activeOnly || e.active) && (f.showShelved || !isShelved(e, nowMs)));
}

// The GET query that matches a filter (the server filters too; live changes are filtered here).
export function eventsQuery(f: EventFilter, limit: number): Record<string, string | number | undefined> {
  return { active: f.activeOnly ? "true" : undefined, shelved: f.showShelved ? undefined : "hide", limit };
}

export interface ContributionBar {
  path: string;
  label: string; // the last two path segments: asset/tag
  weight: number;
  share: number; // of the largest |weight|, 0..1: the bar's length
  percent: string; // of the sum of |weight|
  firstOut: boolean; // the tag whose alarm opened a grouped event (ISA-18.2's first-out)
}

// Contributions as bars, largest first. Weights may be any sign or scale (a model's attribution):
// bars scale to the largest magnitude, percentages to the sum of magnitudes.
// `source` is the event's ("tag:<path>" when a tag's alarm opened it): in a grouped event (two
// tags or more) that tag is the first-out, marked and listed first whatever its weight.
export function contributionBars(list: readonly Contribution[], source = ""): ContributionBar[] {
  const finite = list.filter((c) => Number.isFinite(c.weight));
  const max = Math.max(0, ...finite.map((c) => Math.abs(c.weight)));
  const sum = finite.reduce((s, c) => s + Math.abs(c.weight), 0);
  const lead = finite.length > 1 && source.startsWith("tag:") ? source.slice(4) : null;
  return [...finite]
    .sort((a, b) => Number(b.path === lead) - Number(a.path === lead) || Math.abs(b.weight) - Math.abs(a.weight))
    .map((c) => ({
      path: c.path,
      label: c.path.split("/").slice(-2).join("/"),
      weight: c.weight,
      share: max > 0 ? Math.abs(c.weight) / max : 0,
      percent: sum > 0 ? `${Math.round((100 * Math.abs(c.weight)) / sum)}%` : "—",
      firstOut: c.path === lead,
    }));
}

// Open (active) alerts per asset path, each counted at its asset and every ancestor.
export function openCounts(list: readonly AlertEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of list) {
    if (!e.active) continue;
    const parts = e.asset.path.split("/");
    for (let n = 1; n <= parts.length; ++n) {
      const p = parts.slice(0, n).join("/");
      out.set(p, (out.get(p) ?? 0) + 1);
    }
  }
  return out;
}

// The window a chart of the event shows: from `padMs` before its start to `padMs` after its end
// (or its last update while active), cut at now.
export function eventWindow(e: AlertEvent, padMs: number, nowMs: number): { fromMs: number; toMs: number } {
  const start = Date.parse(e.start);
  const end = e.end ? Date.parse(e.end) : Math.max(Date.parse(e.last), start);
  const pad = Math.max(padMs, (end - start) / 2);
  return { fromMs: start - pad, toMs: Math.min(nowMs, end + pad) };
}

// Tags whose history to draw: the contributions' paths (largest first), else the source tag.
export function chartTags(e: AlertEvent, max: number): string[] {
  const paths = contributionBars(e.contributions).map((b) => b.path);
  if (paths.length === 0 && e.source.startsWith("tag:")) paths.push(e.source.slice(4));
  return paths.slice(0, max);
}

// The model that raised an event as the page names it, "pca-p1 v2"; "—" for a streaming detector.
export function modelName(e: AlertEvent): string {
  return e.model ? `${e.model.id} v${e.model.version}` : "—";
}

// What the opened alert's page shows beyond its score, explanation and contribution weights: an
// update that changes none of it (a new score, peak or `last` while active) need not rebuild the
// page and refetch its chart; those three are changed in place.
export function detailKey(e: AlertEvent): string {
  return JSON.stringify([e.id, e.active, e.end, e.severity, e.returns, e.acknowledged, e.shelved, e.contributions.map((c) => c.path)]);
}
