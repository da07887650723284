// Trends: pick tags, see them live, zoom and pan into history of any length. History comes
// decimated by the server (/api/v1/series/aggregate?points=: first, last, min and max per
// bucket); live samples from /api/v1/stream are appended while the window follows now.

import uPlot from "uplot";
import { getJson, query, type DecimatedSeries, type Tag } from "../api";
import { download, h } from "../dom";
import { t } from "../i18n";
import { visibleCsv } from "../lib/csv";
import { alignSeries, appendLive, bucketMarks, chartValue, type Aligned, type PointList, type QualityMark } from "../lib/series";
import { clampWindow, formatLocalTime, formatSpan, kMaxSpanMs, lastWindow, panWindow, parseSpan, pointsForWidth, zoomWindow, type TimeWindow } from "../lib/timeaxis";
import { LiveStream, type LiveSample } from "../live";
import type { View } from "../main";
import { limitsForm } from "./limits_form";
import { buildChartOptions, kPalette } from "./trend_chart";

const kMaxTags = 20;
const kPresets = ["15m", "1h", "8h", "1d", "7d", "30d", "1y"];

interface Trace {
  tag: Tag;
  list: PointList;
  marks: QualityMark[];
}

// What the browser test reads: the last history load's size and timings.
declare global {
  interface Window {
    __zzTrend?: { points: number; fetchMs: number; drawMs: number; live: number };
  }
}

export function trendsView(params: URLSearchParams): View {
  const el = h("section", { id: "view-trends", class: "split" });
  let allTags: Tag[] = [];
  let traces: Trace[] = [];
  let spanMs = parseSpan(params.get("span") ?? "") ?? 3_600_000;
  let live = params.get("live") !== "0";
  let win: TimeWindow = lastWindow(spanMs, Date.now());
  if (params.get("from") && params.get("to")) {
    win = clampWindow({ fromMs: Number(params.get("from")), toMs: Number(params.get("to")) });
    live = false;
  }
  let plot: uPlot | null = null;
  let stream: LiveStream | null = null;
  let loadSeq = 0;
  let redrawQueued = false;
  let liveCount = 0;
  let disposed = false;

  const search = h("input", { type: "search", id: "tag-search", placeholder: t("common.search"), "aria-label": t("trends.pick") });
  const results = h("ul", { class: "tag-results", id: "tag-results" });
  const chips = h("div", { class: "chips", id: "chips" });
  const limitsBox = h("div", { id: "limits-box" });
  const status = h("p", { class: "note", id: "trend-status" });
  const chartBox = h("div", { class: "chart", id: "chart" });
  const liveBox = h("input", { type: "checkbox", id: "live", checked: live });
  const toolbar = h(
    "div",
    { class: "toolbar" },
    h("label", {}, liveBox, " ", t("trends.live")),
    h("span", { class: "note" }, t("trends.range")),
    ...kPresets.map((p) => h("button", { type: "button", class: "preset", "data-span": p, onclick: () => setSpan(parseSpan(p)!) }, p)),
    h("button", { type: "button", id: "pan-back", title: t("trends.pan_back"), onclick: () => move(panWindow(win, -0.5)) }, "◀"),
    h("button", { type: "button", id: "zoom-in", title: t("trends.zoom_in"), onclick: () => move(zoomWindow(win, 0.5, live ? win.toMs : undefined)) }, "+"),
    h("button", { type: "button", id: "zoom-out", title: t("trends.zoom_out"), onclick: () => move(zoomWindow(win, 2, live ? win.toMs : undefined)) }, "−"),
    h("button", { type: "button", id: "pan-forward", title: t("trends.pan_forward"), onclick: () => move(panWindow(win, 0.5)) }, "▶"),
    h("button", { type: "button", id: "export-csv", onclick: exportCsv }, t("trends.export_csv")),
    h("button", { type: "button", id: "export-png", onclick: exportPng }, t("trends.export_png")),
  );
  const rangeLabel = h("span", { class: "note", id: "range-label" });
  el.append(
    h("aside", {}, h("h2", {}, t("trends.pick")), search, results),
    h("div", { class: "detail" }, toolbar, h("p", {}, rangeLabel), chips, limitsBox, chartBox, status, h("p", { class: "note" }, t("trends.quality_note"))),
  );
  liveBox.addEventListener("change", () => {
    live = liveBox.checked;
    if (live) win = lastWindow(win.toMs - win.fromMs, Date.now());
    void load();
  });

  function syncUrl(): void {
    const q: Record<string, string> = { tags: traces.map((tr) => tr.tag.path).join(",") };
    if (live) q.span = formatSpan(win.toMs - win.fromMs);
    else Object.assign(q, { from: String(win.fromMs), to: String(win.toMs), live: "0" });
    history.replaceState(null, "", `#/trends?${query(q)}`);
  }

  function setSpan(ms: number): void {
    spanMs = ms;
    move(live ? lastWindow(ms, Date.now()) : clampWindow({ fromMs: win.toMs - ms, toMs: win.toMs }));
  }

  // A zoom or pan leaves live mode unless the window still ends at now (the zoom buttons keep the
  // end fixed while live).
  function move(next: TimeWindow): void {
    const requested = next.toMs - next.fromMs;
    next = clampWindow(next);
    if (requested > kMaxSpanMs) status.textContent = t("trends.range_clamped", { span: formatSpan(kMaxSpanMs) });
    live = live && Math.abs(next.toMs - Date.now()) < 1_000 + (next.toMs - next.fromMs) * 0.01;
    liveBox.checked = live;
    win = next;
    void load();
  }

  function renderResults(): void {
    const q = search.value.trim().toLowerCase();
    const chosen = new Set(traces.map((tr) => tr.tag.path));
    const found = allTags.filter((tg) => !chosen.has(tg.path) && (!q || tg.path.toLowerCase().includes(q))).slice(0, 60);
    results.replaceChildren(
      ...found.map((tg) =>
        h("li", {}, h("button", { type: "button", class: "add-tag", "data-path": tg.path, title: tg.path, onclick: () => addTag(tg) }, "+ ", tg.path.split("/").slice(-2).join("/"), tg.unit ? ` (${tg.unit})` : "")),
      ),
    );
  }

  function renderChips(): void {
    chips.replaceChildren(
      ...(traces.length
        ? traces.map((tr, i) =>
            h(
              "span",
              { class: "chip", style: `border-color:${kPalette[i % kPalette.length]}` },
              tr.tag.path,
              tr.tag.data_type !== "string" &&
                h("button", { type: "button", class: "link edit-limits", "data-path": tr.tag.path, title: t("limits.edit"), onclick: () => void editLimits(tr.tag) }, "⚙"),
              h("button", { type: "button", class: "link remove-tag", title: t("trends.remove"), onclick: () => removeTag(tr.tag.path) }, "×"),
            ),
          )
        : [h("p", { class: "note", id: "no-tags" }, t("trends.none"))]),
    );
  }

  function addTag(tag: Tag): void {
    if (traces.length >= kMaxTags) {
      status.textContent = t("trends.too_many", { n: kMaxTags });
      return;
    }
    traces.push({ tag, list: { times: [], values: [] }, marks: [] });
    renderChips();
    renderResults();
    void load();
  }

  // The form opens on the tag as the server holds it now; a save updates every copy this page keeps.
  async function editLimits(tag: Tag): Promise<void> {
    let fresh: Tag;
    try {
      fresh = await getJson<Tag>(`/api/v1/tags/${tag.id}`);
    } catch (err) {
      status.textContent = t("common.error", { msg: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (disposed) return;
    const form: HTMLElement = limitsForm(
      fresh,
      (saved) => {
        const withLimits = (x: Tag) => (x.id === saved.id ? { ...x, limits: saved.limits } : x);
        allTags = allTags.map(withLimits);
        for (const tr of traces) tr.tag = withLimits(tr.tag);
        form.remove();
        status.textContent = t("limits.saved", { tag: saved.path });
        if (plot) draw();
      },
      () => form.remove(),
    );
    form.dataset.path = tag.path;
    limitsBox.replaceChildren(form);
  }

  function removeTag(path: string): void {
    limitsBox.querySelector(`[data-path="${CSS.escape(path)}"]`)?.remove();
    traces = traces.filter((tr) => tr.tag.path !== path);
    renderChips();
    renderResults();
    void load();
  }

  async function load(): Promise<void> {
    const seq = ++loadSeq;
    syncUrl();
    rangeLabel.textContent = `${formatLocalTime(win.fromMs)} — ${formatLocalTime(win.toMs)} (${formatSpan(win.toMs - win.fromMs)})`;
    restream();
    if (!traces.length) {
      plot?.destroy();
      plot = null;
      chartBox.replaceChildren();
      return;
    }
    const started = performance.now();
    const points = pointsForWidth(chartBox.clientWidth || 800);
    try {
      const body = await getJson<{ series: DecimatedSeries[] }>(
        `/api/v1/series/aggregate?${query({ tags: traces.map((tr) => tr.tag.path).join(","), from: win.fromMs, to: win.toMs, points, epoch: "ms" })}`,
      );
      if (seq !== loadSeq || disposed) return;
      const fetched = performance.now();
      const byPath = new Map(body.series.map((s) => [s.tag, s]));
      let total = 0;
      const empty: string[] = [];
      for (const tr of traces) {
        const s = byPath.get(tr.tag.path);
        tr.list = { times: s?.points.map((p) => p.time) ?? [], values: s?.points.map((p) => chartValue(p.value)) ?? [] };
        tr.marks = bucketMarks(s);
        total += tr.list.times.length;
        if (!tr.list.times.length) empty.push(tr.tag.name);
      }
      draw();
      const drawn = performance.now();
      window.__zzTrend = { points: total, fetchMs: fetched - started, drawMs: drawn - fetched, live: liveCount };
      status.textContent = t("trends.points", { points: total, ms: Math.round(drawn - started) }) + (empty.length ? ` · ${t("trends.no_data", { tags: empty.join(", ") })}` : "");
      status.dataset.points = String(total);
    } catch (err) {
      if (seq === loadSeq) status.textContent = t("common.error", { msg: err instanceof Error ? err.message : String(err) });
    }
  }

  function data(): Aligned {
    return alignSeries(traces.map((tr) => tr.list));
  }

  function draw(): void {
    const d = data();
    const width = chartBox.clientWidth || 800;
    const opts = buildChartOptions({
      width,
      height: Math.max(260, Math.min(520, window.innerHeight - 330)),
      tags: traces.map((tr) => tr.tag),
      marks: () => traces.map((tr) => tr.marks),
      window: () => win,
      onSelect: (fromMs, toMs) => move({ fromMs, toMs }),
      onWheel: (factor, anchorMs) => move(zoomWindow(win, factor, anchorMs)),
      onDrawn: (limits, marks) => Object.assign(chartBox.dataset, { limits: String(limits), marks: String(marks) }),
    });
    plot?.destroy();
    chartBox.replaceChildren();
    plot = new uPlot(opts, d as uPlot.AlignedData, chartBox);
  }

  function queueRedraw(): void {
    if (redrawQueued) return;
    redrawQueued = true;
    setTimeout(() => {
      redrawQueued = false;
      if (!plot || disposed) return;
      if (live) win = lastWindow(win.toMs - win.fromMs, Date.now());
      plot.setData(data() as uPlot.AlignedData, false);
      plot.setScale("x", { min: win.fromMs, max: win.toMs });
    }, 250);
  }

  function onSamples(samples: LiveSample[]): void {
    if (!live) return;
    const byPath = new Map(traces.map((tr) => [tr.tag.path, tr]));
    const fromMs = Date.now() - (win.toMs - win.fromMs);
    for (const s of samples) {
      const tr = byPath.get(s.tag);
      if (!tr) continue;
      appendLive(tr.list, [s.time], [chartValue(s.value)], fromMs);
      if (s.quality !== "good") tr.marks.push({ fromMs: s.time - 500, toMs: s.time + 500, level: s.quality === "bad" ? "bad" : "uncertain" });
      ++liveCount;
    }
    if (window.__zzTrend) window.__zzTrend.live = liveCount;
    chartBox.dataset.live = String(liveCount);
    queueRedraw();
  }

  function restream(): void {
    const patterns = live ? traces.map((tr) => tr.tag.path) : [];
    if (!patterns.length) {
      stream?.close();
      stream = null;
      return;
    }
    if (stream) stream.subscribe(patterns);
    else stream = new LiveStream(patterns, { onSamples });
  }

  function exportCsv(): void {
    if (!traces.length) return;
    const csv = visibleCsv(traces.map((tr) => tr.tag.path), data(), win.fromMs, win.toMs);
    download(`zhizao-trend-${new Date(win.fromMs).toISOString()}.csv`, new Blob([csv], { type: "text/csv" }));
  }

  function exportPng(): void {
    if (!plot) return;
    const src = plot.ctx.canvas;
    const legend = 18 * traces.length + 28;
    const out = h("canvas", { width: src.width, height: src.height + legend });
    const ctx = out.getContext("2d")!;
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(src, 0, 0);
    ctx.font = "13px sans-serif";
    ctx.fillStyle = "#1d2733";
    ctx.fillText(rangeLabel.textContent ?? "", 8, src.height + 16);
    traces.forEach((tr, i) => {
      ctx.fillStyle = kPalette[i % kPalette.length]!;
      ctx.fillText(`${tr.tag.path} ${tr.tag.unit}`, 8, src.height + 34 + 18 * i);
    });
    out.toBlob((blob) => blob && download(`zhizao-trend-${new Date(win.fromMs).toISOString()}.png`, blob), "image/png");
  }

  (async () => {
    try {
      allTags = (await getJson<{ tags: Tag[] }>("/api/v1/tags?limit=100000")).tags;
      if (disposed) return;
      const wanted = (params.get("tags") ?? "").split(",").filter(Boolean);
      const byPath = new Map(allTags.map((tg) => [tg.path, tg]));
      for (const p of wanted.slice(0, kMaxTags)) {
        const tag = byPath.get(p);
        if (tag) traces.push({ tag, list: { times: [], values: [] }, marks: [] });
      }
      renderChips();
      renderResults();
      await load();
    } catch (err) {
      status.textContent = t("common.error", { msg: err instanceof Error ? err.message : String(err) });
    }
  })();
  search.addEventListener("input", renderResults);
  const onResize = () => plot?.setSize({ width: chartBox.clientWidth, height: plot.height });
  window.addEventListener("resize", onResize);

  return {
    el,
    dispose() {
      disposed = true;
      stream?.close();
      plot?.destroy();
      window.removeEventListener("resize", onResize);
    },
  };
}
