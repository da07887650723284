// An asset's state as the overview shows it, derived from its tags' last values (nothing here is
// invented: with no telling tag an asset's state is "unknown").
//   alarm:   a bool tag reads its alarm state (limits.alarm_state: a discrete alarm), or a number
//            is outside its alarm limits
//   running / stopped: from a `running` or `loaded` bool, or a `state` code (zhizao's machine
//            state: 1 running, 2 idle, 3 down, 4 setup; see src/connect/sim/machine_state.h)
// A parent takes the worst state of itself and its children.

export type AssetState = "alarm" | "stopped" | "idle" | "running" | "unknown";

export interface TagInfo {
  path: string;
  name: string;
  asset_path: string;
  data_type: string;
  // alarm_state: a bool tag's discrete alarm state (the server sends null for none)
  limits: { lo: number | null; hi: number | null; lolo: number | null; hihi: number | null; alarm_state: boolean | null };
}

const kRank: Record<AssetState, number> = { alarm: 4, stopped: 3, idle: 2, running: 1, unknown: 0 };

export function worse(a: AssetState, b: AssetState): AssetState {
  return kRank[a] >= kRank[b] ? a : b;
}

export function tagState(tag: TagInfo, value: unknown): AssetState {
  if (value === null || value === undefined) return "unknown";
  if (typeof value === "boolean" && value === tag.limits.alarm_state) return "alarm";
  if (typeof value === "number") {
    const { lolo, hihi, lo, hi } = tag.limits;
    const low = lolo ?? lo;
    const high = hihi ?? hi;
    // Limits of a counter or a code make no sense; only float tags are judged against them.
    if (tag.data_type === "float64" && ((low !== null && value < low) || (high !== null && value > high))) return "alarm";
    if (tag.name === "state") return value === 1 ? "running" : value === 2 || value === 4 ? "idle" : value === 3 ? "stopped" : "unknown";
  }
  if (typeof value === "boolean" && (tag.name === "running" || tag.name === "loaded")) return value ? "running" : "stopped";
  return "unknown";
}

// State per asset path, rolled up to every ancestor path.
export function assetStates(tags: TagInfo[], last: Map<string, unknown>): Map<string, AssetState> {
  const out = new Map<string, AssetState>();
  for (const tag of tags) {
    const s = tagState(tag, last.get(tag.path));
    let path = tag.asset_path;
    while (path) {
      out.set(path, worse(out.get(path) ?? "unknown", s));
      const slash = path.lastIndexOf("/");
      path = slash > 0 ? path.slice(0, slash) : "";
    }
  }
  return out;
}
