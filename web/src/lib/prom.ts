// Reads the Prometheus text exposition of GET /metrics: enough for the system page (names,
// labels, values; comments and timestamps ignored).

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parsePrometheus(text: string): PromSample[] {
  const out: PromSample[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
    for (let l = labelRe.exec(m[3] ?? ""); l; l = labelRe.exec(m[3] ?? "")) {
      labels[l[1]!] = l[2]!.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    }
    const value = m[4] === "+Inf" ? Infinity : m[4] === "-Inf" ? -Infinity : Number(m[4]);
    out.push({ name: m[1]!, labels, value });
  }
  return out;
}

// Sum of the samples of `name` whose labels include `where` (all label sets by default);
// undefined when there is none.
export function sumOf(samples: PromSample[], name: string, where: Record<string, string> = {}): number | undefined {
  let found = false;
  let total = 0;
  for (const s of samples) {
    if (s.name !== name || Object.entries(where).some(([k, v]) => s.labels[k] !== v)) continue;
    found = true;
    total += s.value;
  }
  return found ? total : undefined;
}

// Rate per second between two readings of a counter; undefined without two readings or on a
// reset (the server restarted).
export function ratePerSecond(before: number | undefined, after: number | undefined, seconds: number): number | undefined {
  if (before === undefined || after === undefined || seconds <= 0 || after < before) return undefined;
  return (after - before) / seconds;
}
