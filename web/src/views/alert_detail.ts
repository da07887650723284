// One alert opened: its explanation, the model and detector that raised it, the contribution
// weights as bars, a chart of its contributing tags around it (decimated by the server, the
// alert's span shaded) and the Acknowledge / Shelve / Unshelve actions.

import uPlot from "uplot";
import { getJson, postJson, query, type DecimatedSeries, type Tag } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import { chartTags, contributionBars, eventWindow, isShelved, modelName, type AlertEvent } from "../lib/events";
import { alignSeries, bucketMarks, chartValue } from "../lib/series";
import { pointsForWidth } from "../lib/timeaxis";
import type { MessageKey } from "../messages/en";
import { buildChartOptions } from "./trend_chart";

const kPadMs = 10 * 60_000; // chart from 10 min before the alert to 10 min after
const kMaxChartTags = 6;
export const kShelveDurations = ["15m", "1h", "2h", "8h", "24h"];

export function severityBadge(e: AlertEvent): HTMLElement {
  return h("span", { class: `sev sev-${e.severity}` }, t(`severity.${e.severity}` as MessageKey));
}

export function aiLabel(e: AlertEvent): HTMLElement | null {
  return e.generated_by === "ai" ? h("span", { class: "ai", title: t("alerts.ai_title") }, t("alerts.ai")) : null;
}

export function localTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : "";
}

export function fmtScore(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : "—";
}

export interface DetailDeps {
  tags: () => Promise<Tag[]>;
  onChanged(e: AlertEvent): void; // the server's answer to an action
}

// The contribution bars of `e` (#alert-contributions).
function contributionList(e: AlertEvent): HTMLElement {
  const bars = contributionBars(e.contributions, e.source);
  return bars.length
    ? h(
        "ul",
        { class: "bars", id: "alert-contributions" },
        ...bars.map((b) =>
          h(
            "li",
            { title: `${b.path}: ${b.weight}`, class: b.firstOut ? "first-out" : undefined },
            h("span", { class: "bar-label" }, b.label, b.firstOut ? h("span", { class: "badge first-out-badge", title: t("alerts.first_out_hint") }, t("alerts.first_out")) : null),
            h("span", { class: "bar-track" }, h("span", { class: b.weight < 0 ? "bar neg" : "bar", style: `width:${(100 * b.share).toFixed(1)}%` })),
            h("span", { class: "bar-value" }, `${fmtScore(b.weight)} · ${b.percent}`),
          ),
        ),
      )
    : h("p", { class: "note", id: "alert-contributions" }, t("alerts.no_contributions"));
}

function scoreText(e: AlertEvent): string {
  return t("alerts.threshold", { score: fmtScore(e.score), threshold: fmtScore(e.threshold) });
}

// Follows a live update of the event on show whose detailKey did not change: its score, its
// explanation and its contribution weights (a new peak rewrites them) change in place, so that the
// page, its chart and the buttons under the user's pointer are not rebuilt with every peak.
export function refreshAlertDetail(box: HTMLElement, e: AlertEvent): void {
  const score = box.querySelector("#alert-score");
  if (score && score.textContent !== scoreText(e)) score.textContent = scoreText(e);
  const message = box.querySelector("#alert-message");
  if (message && message.textContent !== e.message) message.textContent = e.message;
  const bars = box.querySelector("#alert-contributions");
  const fresh = contributionList(e);
  if (bars && bars.outerHTML !== fresh.outerHTML) bars.replaceWith(fresh);
}

// Renders `e` into `box`; returns a dispose function (the chart holds a uPlot instance).
export function renderAlertDetail(box: HTMLElement, e: AlertEvent, deps: DetailDeps): () => void {
  let plot: uPlot | null = null;
  let disposed = false;
  const message = h("p", { id: "alert-action-message", class: "note" });
  const chartBox = h("div", { class: "chart", id: "alert-chart" }, t("common.loading"));

  async function act(path: string, body: unknown): Promise<void> {
    try {
      const answer = await postJson<AlertEvent | { event: AlertEvent }>(path, body);
      const updated = "event" in answer && answer.event ? answer.event : "id" in answer ? answer : await getJson<AlertEvent>(`/api/v1/events/${e.id}`);
      deps.onChanged(updated as AlertEvent);
    } catch (err) {
      message.className = "error";
      message.textContent = t("common.error", { msg: err instanceof Error ? err.message : String(err) });
    }
  }

  const duration = h("select", { id: "shelve-for", "aria-label": t("alerts.shelve_for") }, ...kShelveDurations.map((d) => h("option", { value: d }, d)));
  duration.value = "2h";
  const shelved = isShelved(e, Date.now());
  const actions = h(
    "div",
    { class: "toolbar", id: "alert-actions" },
    e.acknowledged
      ? h("span", { class: "ok", id: "alert-acked" }, "✔ ", t("alerts.acked_by", { by: e.acknowledged.by, time: localTime(e.acknowledged.time) }))
      : h("button", { type: "button", id: "alert-ack", onclick: () => act(`/api/v1/events/${e.id}/acknowledge`, {}) }, t("alerts.acknowledge")),
    shelved
      ? h("span", { class: "note", id: "alert-shelved" }, t("alerts.shelved_until", { by: e.shelved!.by, time: localTime(e.shelved!.until) }))
      : null,
    shelved
      ? h("button", { type: "button", id: "alert-unshelve", onclick: () => act(`/api/v1/events/${e.id}/shelve`, { for: null }) }, t("alerts.unshelve"))
      : h("span", {}, h("button", { type: "button", id: "alert-shelve", onclick: () => act(`/api/v1/events/${e.id}/shelve`, { for: duration.value }) }, t("alerts.shelve")), " ", t("alerts.shelve_for"), " ", duration),
  );

  const barList = contributionList(e);

  const win = eventWindow(e, kPadMs, Date.now());
  const paths = chartTags(e, kMaxChartTags);
  const trendHref = `#/trends?${query({ tags: paths.join(","), from: Math.round(win.fromMs), to: Math.round(Math.max(win.toMs, win.fromMs + 60_000)), live: "0" })}`;

  box.replaceChildren(
    h("h2", { id: "alert-title" }, severityBadge(e), " ", aiLabel(e) ?? "", " ", e.asset.path),
    h(
      "p",
      {},
      h("b", {}, `${t("alerts.model")}: `),
      h("span", { id: "alert-model" }, modelName(e)),
      ` · ${e.detector} · `,
      h("span", { id: "alert-score" }, scoreText(e)),
      e.returns ? ` · ${t("alerts.returns", { n: e.returns })}` : "",
    ),
    h("p", { class: "note" }, `${t("alerts.source")}: ${e.source} · ${localTime(e.start)} — ${e.end ? localTime(e.end) : t("alerts.active")}`),
    h("h3", {}, t("alerts.message")),
    h("p", { id: "alert-message", class: "explanation" }, e.message),
    actions,
    message,
    h("h3", {}, t("alerts.contributions")),
    barList,
    h("h3", {}, t("alerts.chart"), " ", h("a", { href: trendHref, id: "alert-trend" }, t("alerts.trend"))),
    chartBox,
  );

  (async () => {
    try {
      const all = await deps.tags();
      const byPath = new Map(all.map((tg) => [tg.path, tg]));
      const tags = paths.map((p) => byPath.get(p)).filter((tg): tg is Tag => tg !== undefined);
      if (!tags.length || disposed) {
        if (!disposed) chartBox.textContent = t("trends.no_data", { tags: paths.join(", ") });
        return;
      }
      const width = chartBox.clientWidth || 700;
      const body = await getJson<{ series: DecimatedSeries[] }>(
        `/api/v1/series/aggregate?${query({ tags: tags.map((tg) => tg.path).join(","), from: Math.round(win.fromMs), to: Math.round(win.toMs), points: pointsForWidth(width), epoch: "ms" })}`,
      );
      if (disposed) return;
      const series = new Map(body.series.map((s) => [s.tag, s]));
      const lists = tags.map((tg) => {
        const s = series.get(tg.path);
        return { times: s?.points.map((p) => p.time) ?? [], values: s?.points.map((p) => chartValue(p.value)) ?? [] };
      });
      const marks = tags.map((tg) => bucketMarks(series.get(tg.path)));
      const opts = buildChartOptions({
        width,
        height: 280,
        tags,
        marks: () => marks,
        window: () => win,
        onSelect: () => {},
        onWheel: () => {},
        onDrawn: () => {},
      });
      opts.hooks!.drawClear = [(u) => shadeSpan(u, e)];
      chartBox.replaceChildren();
      plot = new uPlot(opts, alignSeries(lists) as uPlot.AlignedData, chartBox);
      chartBox.dataset.points = String(lists.reduce((n, l) => n + l.times.length, 0));
    } catch (err) {
      if (!disposed) chartBox.textContent = t("common.error", { msg: err instanceof Error ? err.message : String(err) });
    }
  })();

  return () => {
    disposed = true;
    plot?.destroy();
  };
}

// The alert's span as a band behind the lines (red while active, grey once cleared).
function shadeSpan(u: uPlot, e: AlertEvent): void {
  const from = Date.parse(e.start);
  const to = e.end ? Date.parse(e.end) : Date.parse(e.last);
  const x0 = Math.max(u.bbox.left, u.valToPos(from, "x", true));
  const x1 = Math.min(u.bbox.left + u.bbox.width, u.valToPos(to, "x", true));
  if (!(x1 >= x0)) return;
  u.ctx.save();
  u.ctx.fillStyle = e.active ? "rgba(179, 38, 30, 0.13)" : "rgba(110, 119, 129, 0.15)";
  u.ctx.fillRect(x0, u.bbox.top, Math.max(x1 - x0, 3), u.bbox.height);
  u.ctx.restore();
}
