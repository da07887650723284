// Alarm limits as a person types them in the console: empty is no limit, anything else must be a
// finite number. Their order (lolo < lo < hi < hihi) is the server's to check: its answer names
// the limit out of place.

export type LimitKey = "lolo" | "lo" | "hi" | "hihi";
export const kLimitKeys: readonly LimitKey[] = ["lolo", "lo", "hi", "hihi"];
export type NumericLimits = Record<LimitKey, number | null>;

export function parseLimits(typed: Record<LimitKey, string>): { limits: NumericLimits } | { bad: LimitKey } {
  const limits: NumericLimits = { lolo: null, lo: null, hi: null, hihi: null };
  for (const key of kLimitKeys) {
    const text = typed[key].trim();
    if (!text) continue;
    const value = Number(text);
    if (!Number.isFinite(value)) return { bad: key };
    limits[key] = value;
  }
  return { limits };
}

// A bool tag's alarm state as the form's select holds it: "" none, "true", "false".
export function parseAlarmState(selected: string): boolean | null {
  return selected === "" ? null : selected === "true";
}
