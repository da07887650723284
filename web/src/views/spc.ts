// SPC: pick a numeric tag, a chart type (I-MR, X̄-R, X̄-S, EWMA, CUSUM), a range, an optional
// Phase I baseline before it, subgroup, rules and spec limits; GET /api/v1/spc draws the control
// chart(s) with limits and rule violations, and with LSL/USL the histogram and Cp/Cpk/Pp/Ppk with
// their intervals. The form is kept in the address (#/spc?tag=…) so a chart can be linked.

import uPlot from "uplot";
import { ApiError, getJson, query, type Tag } from "../api";
import { h, table } from "../dom";
import { t } from "../i18n";
import { formatIndex, optionalNumber, pointTimes, spcPanels, violationSummary, violationsByPoint, type SpcAnswer } from "../lib/spc";
import { formatLocalTime, parseSpan } from "../lib/timeaxis";
import type { View } from "../main";
import type { MessageKey } from "../messages/en";
import { controlChart, histogramCanvas } from "./spc_chart";

const kCharts = ["i_mr", "xbar_r", "xbar_s", "ewma", "cusum"];
const kRules = ["nelson", "western_electric", "limits"];
const kRanges = ["15m", "1h", "8h", "1d", "7d"];
const kBaselines = ["", "1h", "8h", "1d", "7d"];

declare global {
  interface Window {
    __zzSpc?: { panels: number; points: number; violations: number; rules: number; cpk: number | null };
  }
}

function select(id: string, values: string[], label: (v: string) => string, value: string): HTMLSelectElement {
  const s = h("select", { id }, ...values.map((v) => h("option", { value: v }, label(v))));
  s.value = values.includes(value) ? value : values[0]!;
  return s;
}

export function spcView(params: URLSearchParams): View {
  const el = h("section", { id: "view-spc", class: "split" });
  let allTags: Tag[] = [];
  let tagPath = params.get("tag") ?? "";
  let plots: uPlot[] = [];
  let seq = 0;
  let disposed = false;

  const search = h("input", { type: "search", id: "spc-search", placeholder: t("common.search"), "aria-label": t("spc.tag") });
  const results = h("ul", { class: "tag-results", id: "spc-results" });
  const tagLabel = h("b", { id: "spc-tag" }, tagPath || t("spc.pick"));
  const chart = select("spc-chart", kCharts, (v) => t(`spc.chart.${v}` as MessageKey), params.get("chart") ?? "i_mr");
  const range = select("spc-range", kRanges, (v) => v, params.get("range") ?? "1h");
  const baseline = select("spc-baseline", kBaselines, (v) => (v ? t("spc.baseline_before", { span: v }) : t("spc.baseline_none")), params.get("baseline") ?? "");
  const subgroup = h("input", { id: "spc-subgroup", size: 5, value: params.get("subgroup") ?? "1m" });
  const rules = select("spc-rules", kRules, (v) => t(`spc.rules.${v}` as MessageKey), params.get("rules") ?? "nelson");
  const lsl = h("input", { id: "spc-lsl", size: 7, inputmode: "decimal", value: params.get("lsl") ?? "" });
  const usl = h("input", { id: "spc-usl", size: 7, inputmode: "decimal", value: params.get("usl") ?? "" });
  const target = h("input", { id: "spc-target", size: 7, inputmode: "decimal", value: params.get("target") ?? "" });
  const zones = h("input", { type: "checkbox", id: "spc-zones", checked: params.get("zones") !== "0" });
  const form = h(
    "form",
    { class: "inline", id: "spc-form", onsubmit: (e: Event) => (e.preventDefault(), void draw()) },
    h("label", {}, t("spc.chart"), chart),
    h("label", {}, t("spc.range"), range),
    h("label", {}, t("spc.baseline"), baseline),
    h("label", { title: "X̄-R, X̄-S" }, t("spc.subgroup"), subgroup),
    h("label", {}, t("spc.rules"), rules),
    h("label", {}, t("spc.lsl"), lsl),
    h("label", {}, t("spc.usl"), usl),
    h("label", {}, t("spc.target"), target),
    h("label", {}, t("spc.zones"), zones),
    h("button", { type: "submit", id: "spc-draw" }, t("spc.draw")),
  );
  const status = h("p", { class: "note", id: "spc-status" });
  const out = h("div", { id: "spc-out" });
  el.append(h("aside", {}, h("h2", {}, t("spc.tag")), search, results), h("div", { class: "detail" }, h("h2", {}, t("spc.title"), " · ", tagLabel), form, status, out));

  function renderResults(): void {
    const q = search.value.trim().toLowerCase();
    const found = allTags.filter((tg) => tg.data_type !== "bool" && tg.data_type !== "string" && (!q || tg.path.toLowerCase().includes(q))).slice(0, 60);
    results.replaceChildren(
      ...found.map((tg) =>
        h("li", {}, h("button", { type: "button", class: tg.path === tagPath ? "add-tag selected" : "add-tag", "data-path": tg.path, title: tg.path, onclick: () => pick(tg.path) }, tg.path.split("/").slice(-2).join("/"), tg.unit ? ` (${tg.unit})` : "")),
      ),
    );
  }

  function pick(path: string): void {
    tagPath = path;
    tagLabel.textContent = path;
    renderResults();
    void draw();
  }

  function clear(): void {
    for (const p of plots) p.destroy();
    plots = [];
    out.replaceChildren();
  }

  async function draw(): Promise<void> {
    if (!tagPath) return;
    const spec: Record<string, number | undefined> = {};
    for (const [name, input, key] of [["lsl", lsl, "spc.lsl"], ["usl", usl, "spc.usl"], ["target", target, "spc.target"]] as const) {
      const v = optionalNumber(input.value);
      if (Number.isNaN(v)) {
        status.className = "error";
        status.textContent = t("spc.bad_number", { field: t(key) });
        return;
      }
      spec[name] = v;
    }
    const to = Date.now();
    const from = to - parseSpan(range.value)!;
    const base = baseline.value ? { baseline_from: new Date(from - parseSpan(baseline.value)!).toISOString(), baseline_to: new Date(from).toISOString() } : {};
    const q = query({ tag: tagPath, chart: chart.value, from: new Date(from).toISOString(), to: new Date(to).toISOString(), ...base, subgroup: chart.value.startsWith("xbar") ? subgroup.value.trim() || undefined : undefined, rules: rules.value, ...spec });
    history.replaceState(null, "", `#/spc?${query({ tag: tagPath, chart: chart.value, range: range.value, baseline: baseline.value || undefined, subgroup: subgroup.value, rules: rules.value, zones: zones.checked ? undefined : "0", lsl: lsl.value || undefined, usl: usl.value || undefined, target: target.value || undefined })}`);
    const mine = ++seq;
    status.className = "note";
    status.textContent = t("common.loading");
    try {
      const answer = await getJson<SpcAnswer>(`/api/v1/spc?${q}`);
      if (mine !== seq || disposed) return;
      render(answer);
    } catch (err) {
      if (mine !== seq || disposed) return;
      clear();
      status.className = "error";
      status.dataset.status = err instanceof ApiError ? String(err.status) : "";
      status.textContent = t("common.error", { msg: err instanceof Error ? err.message : String(err) });
    }
  }

  function render(a: SpcAnswer): void {
    clear();
    status.className = "note";
    status.dataset.status = "200";
    status.textContent = `${t("spc.samples", { n: a.range.samples, excluded: a.range.excluded, b: a.baseline.samples })} · ${formatLocalTime(Date.parse(a.range.from))} — ${formatLocalTime(Date.parse(a.range.to))}`;
    const panels = spcPanels(a.result);
    const hover = h("p", { class: "error", id: "spc-hover" });
    const width = Math.max(400, out.clientWidth || 800);
    let points = 0;
    const time = (a.times ?? []).length > 0; // per-sample charts give times; X̄ charts give subgroup numbers
    for (const panel of panels) {
      const flagged = violationsByPoint(panel);
      const xs = time ? pointTimes(panel, a.times) : panel.points.map((p) => p.index);
      const box = h("div", { class: "chart spc-panel", "data-chart": panel.chart });
      out.append(box);
      if (panel.points.length) plots.push(controlChart({ panel, xs, time, width, height: panels.length > 1 ? 220 : 300, zones: zones.checked, flagged, onHover: (s) => (hover.textContent = s) }, box));
      points += panel.points.length;
    }
    const summary = violationSummary(panels);
    const violationRows = summary.map((v) => {
      const at = v.points.slice(0, 4).map((i) => (time && a.times[i] ? formatLocalTime(Date.parse(a.times[i]!)).slice(11, 19) : t("spc.point", { i })));
      return [v.chart, v.rule, String(v.count), v.explanation, at.join(", ") + (v.points.length > 4 ? ` … (${t("spc.points_n", { n: v.points.length })})` : "")];
    });
    out.append(hover, h("h3", {}, t("spc.violations")));
    out.append(violationRows.length ? table([t("spc.chart"), t("spc.rule"), t("spc.times_fired"), t("spc.explanation"), t("spc.where")], violationRows, { id: "spc-violations" }) : h("p", { class: "ok", id: "spc-violations" }, t("spc.no_violations")));
    const cap = a.capability;
    if (cap) {
      const conf = Math.round(100 * (cap.confidence ?? 0.95));
      const rows = (["cp", "cpk", "pp", "ppk", "cpm"] as const).map((k) => [k === "cp" ? "Cp" : k === "cpk" ? "Cpk" : k === "pp" ? "Pp" : k === "ppk" ? "Ppk" : "Cpm", h("span", { "data-index": k }, formatIndex(cap[k]))]);
      out.append(
        h("h3", {}, t("spc.histogram")),
        h(
          "div",
          { class: "spc-cap" },
          histogramCanvas(cap, Math.min(620, width), 240, a.tag.unit),
          h(
            "div",
            {},
            h("h3", {}, t("spc.capability", { conf })),
            table([t("spc.index"), t("spc.value")], rows, { id: "spc-capability" }),
            h("p", { class: "note" }, t("spc.mean", { mean: Number(cap.mean.toPrecision(6)), n: cap.n })),
            cap.observed_out_of_spec_ppm !== undefined ? h("p", { class: "note" }, t("spc.ppm", { obs: Number((cap.observed_out_of_spec_ppm ?? 0).toPrecision(3)), exp: Number((cap.expected_out_of_spec_ppm ?? 0).toPrecision(3)) })) : null,
            cap.normality ? h("p", { class: cap.normality.normal_rejected ? "error" : "note", id: "spc-normality" }, cap.normality.note) : null,
          ),
        ),
      );
    } else {
      out.append(h("p", { class: "note", id: "spc-no-capability" }, t("spc.no_capability")));
    }
    window.__zzSpc = { panels: panels.length, points, violations: panels.reduce((n, p) => n + p.violations.length, 0), rules: summary.length, cpk: cap?.cpk?.value ?? null };
  }

  // Only X̄ charts group samples; the others chart each sample (and then get its time).
  const syncSubgroup = () => (subgroup.disabled = !chart.value.startsWith("xbar"));
  chart.addEventListener("change", syncSubgroup);
  syncSubgroup();
  search.addEventListener("input", renderResults);
  (async () => {
    try {
      allTags = (await getJson<{ tags: Tag[] }>("/api/v1/tags?limit=100000")).tags;
      if (disposed) return;
      renderResults();
      if (tagPath) void draw();
    } catch (err) {
      results.replaceChildren(h("li", { class: "error" }, t("common.error", { msg: err instanceof Error ? err.message : String(err) })));
    }
  })();

  return {
    el,
    dispose() {
      disposed = true;
      clear();
    },
  };
}
