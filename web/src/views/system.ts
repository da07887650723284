// Connectors and system: each connector's state, counters, poll latency and jitter
// (GET /api/v1/connectors), and the server's figures from GET /metrics (ingest rate from two
// readings of the points counter, storage size, queue depths, stream subscriptions).

import { getJson, getText } from "../api";
import { h, table } from "../dom";
import { t, tOf } from "../i18n";
import { parsePrometheus, ratePerSecond, sumOf, type PromSample } from "../lib/prom";
import type { View } from "../main";

const kRefreshMs = 3_000;

interface Timing {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}
interface Connector {
  name: string;
  type: string;
  source: string;
  status: {
    state: string;
    samples: number;
    bad_samples: number;
    reads: number;
    errors: number;
    reconnects: number;
    writes: number;
    overruns: number;
    latency_ms: Timing;
    jitter_ms: Timing;
    last_error: { message: string; time: string } | null;
  };
}

const ms = (v: number | null) => (v === null || v === undefined ? "—" : `${v.toFixed(1)} ms`);
const timing = (x: Timing) => `p50 ${ms(x.p50)} · p99 ${ms(x.p99)} · max ${ms(x.max)}`;
const num = (v: number | undefined) => (v === undefined ? "—" : Math.round(v).toLocaleString());

function bytes(v: number | undefined): string {
  if (v === undefined) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) (v /= 1024), ++i;
  return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
}

// Gauges whose names say they are queue depths (…_queue…, …_queued…, …_pending…).
function queueGauges(samples: PromSample[]): [string, number][] {
  const out = new Map<string, number>();
  for (const s of samples) if (/queue|pending|backlog/.test(s.name) && !/_bucket$|_sum$|_count$|_total$/.test(s.name)) out.set(s.name, (out.get(s.name) ?? 0) + s.value);
  return [...out];
}

export function systemView(): View {
  const el = h("section", { id: "view-system" });
  const connBox = h("div", { id: "connectors" }, t("common.loading"));
  const figBox = h("div", { id: "figures" }, t("common.loading"));
  el.append(h("h2", {}, t("system.connectors")), connBox, h("h2", {}, t("system.figures")), figBox);
  let previous: { at: number; points: number | undefined } | null = null;
  let disposed = false;

  async function refresh(): Promise<void> {
    try {
      const [{ connectors }, metricsText] = await Promise.all([getJson<{ connectors: Connector[] }>("/api/v1/connectors"), getText("/metrics")]);
      if (disposed) return;
      connBox.replaceChildren(
        connectors.length
          ? table(
              [t("system.name"), t("system.kind"), t("system.status"), t("system.counters"), t("system.latency"), t("system.jitter")],
              connectors.map((c) => [
                c.name,
                c.type,
                h("span", { class: `conn conn-${c.status.state}`, title: c.status.last_error?.message ?? "" }, tOf("conn.state", c.status.state)),
                t("conn.counters", { samples: num(c.status.samples), bad: num(c.status.bad_samples), reads: num(c.status.reads), errors: num(c.status.errors), reconnects: num(c.status.reconnects), overruns: num(c.status.overruns) }),
                timing(c.status.latency_ms),
                timing(c.status.jitter_ms),
              ]),
              { id: "connector-table" },
            )
          : h("p", { class: "note" }, t("system.none")),
      );
      const samples = parsePrometheus(metricsText);
      const now = performance.now();
      const points = sumOf(samples, "zhizao_ingest_points_total", { outcome: "stored" }) ?? sumOf(samples, "zhizao_storage_points_appended_total");
      const rate = previous ? ratePerSecond(previous.points, points, (now - previous.at) / 1000) : undefined;
      previous = { at: now, points };
      const rows: [string, string][] = [
        [t("system.ingest_rate"), rate === undefined ? "…" : t("system.points_s", { v: num(rate) })],
        [t("system.storage"), `${num(sumOf(samples, "zhizao_storage_series"))} · ${bytes(sumOf(samples, "zhizao_storage_head_bytes"))} · ${bytes(sumOf(samples, "zhizao_data_dir_bytes"))}`],
        [t("system.queues"), queueGauges(samples).map(([n, v]) => `${n} ${num(v)}`).join(" · ") || "—"],
        [t("system.streams"), num(sumOf(samples, "zhizao_stream_subscriptions"))],
        [t("system.http"), num(sumOf(samples, "zhizao_http_open_connections"))],
      ];
      figBox.replaceChildren(table(["", ""], rows, { id: "figure-table" }));
    } catch (err) {
      figBox.textContent = t("common.error", { msg: err instanceof Error ? err.message : String(err) });
    }
  }
  void refresh();
  const timer = window.setInterval(refresh, kRefreshMs);
  return {
    el,
    dispose() {
      disposed = true;
      clearInterval(timer);
    },
  };
}
