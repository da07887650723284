// Simulator panel (demo mode): inject a fault on an asset (POST /api/v1/sim/faults) and list the
// fault episodes; each episode links to a trend of its tags around it.

import { ApiError, getJson, postJson, query, type Asset, type Episode, type Tag } from "../api";
import { h, table } from "../dom";
import { t, tOf } from "../i18n";
import type { View } from "../main";

const kRefreshMs = 5_000;

// Which equipment kind each fault applies to (the simulator's own table, src/connect/sim/fault.cc);
// sensor faults apply to any asset with tags. The server checks again and says why it refuses.
export const kFaultKinds: Record<string, string> = {
  bearing_wear: "centrifugal_pump",
  cavitation: "centrifugal_pump",
  impeller_imbalance: "centrifugal_pump",
  seal_leak: "centrifugal_pump",
  tool_wear: "cnc_machining_center",
  thermal_drift: "cnc_machining_center",
  heater_failure: "injection_moulding_machine",
  jam: "injection_moulding_machine",
  air_leak: "compressed_air_system",
  sensor_stuck: "",
  sensor_drift: "",
  sensor_spike: "",
  sensor_dropout: "",
  sensor_noise_burst: "",
};

export function faultsFor(kind: string): string[] {
  return Object.entries(kFaultKinds)
    .filter(([, k]) => k === "" || k === kind)
    .map(([name]) => name);
}

function flatten(list: Asset[], out: Asset[] = []): Asset[] {
  for (const a of list) (out.push(a), flatten(a.children, out));
  return out;
}

export function simView(): View {
  const el = h("section", { id: "view-sim" });
  const assetSel = h("select", { id: "sim-asset" });
  const typeSel = h("select", { id: "sim-type" });
  const duration = h("input", { id: "sim-duration", type: "number", min: 1, value: 300 });
  const severity = h("input", { id: "sim-severity", type: "number", min: 0.05, max: 1, step: 0.05, value: 0.8 });
  // A sensor fault acts on one tag (its transmitter): chosen here, among the asset's numeric tags.
  const tagSel = h("select", { id: "sim-tag" });
  const tagLabel = h("label", { hidden: true }, t("sim.tag"), tagSel);
  const message = h("p", { id: "sim-message", class: "note" });
  const list = h("div", { id: "episodes" }, t("common.loading"));
  const form = h(
    "form",
    { class: "inline", onsubmit: (e: Event) => (e.preventDefault(), void inject()) },
    h("label", {}, t("sim.asset"), assetSel),
    h("label", {}, t("sim.type"), typeSel),
    tagLabel,
    h("label", {}, t("sim.duration"), duration),
    h("label", {}, t("sim.severity"), severity),
    h("button", { type: "submit", id: "sim-inject" }, t("sim.inject")),
  );
  el.append(h("h2", {}, t("sim.title")), form, message, h("h2", {}, t("sim.episodes")), list);
  let assets: Asset[] = [];
  let disposed = false;

  const isSensorFault = () => kFaultKinds[typeSel.value] === "";
  function showTag(): void {
    tagLabel.hidden = !isSensorFault();
  }
  async function fillTags(): Promise<void> {
    const asset = assetSel.value;
    tagSel.replaceChildren();
    try {
      const { tags } = await getJson<{ tags: Tag[] }>(`/api/v1/tags?${query({ asset, limit: 1000 })}`);
      if (disposed || asset !== assetSel.value) return;
      // The simulator's sensor faults act on a float or integer tag of the asset itself.
      const own = (tag: Tag) => tag.path.slice(0, tag.path.lastIndexOf("/")) === asset;
      const numeric = tags.filter((tag) => own(tag) && (tag.data_type === "float64" || tag.data_type === "int64"));
      tagSel.replaceChildren(...numeric.map((tag) => h("option", { value: tag.path }, tag.path.slice(asset.length + 1))));
    } catch {
      // the server says why when the fault is injected
    }
  }
  function fillTypes(): void {
    const kind = assets.find((a) => a.path === assetSel.value)?.kind ?? "";
    typeSel.replaceChildren(...faultsFor(kind).map((f) => h("option", { value: f }, tOf("fault", f))));
    showTag();
    void fillTags();
  }
  assetSel.addEventListener("change", fillTypes);
  typeSel.addEventListener("change", showTag);

  async function inject(): Promise<void> {
    try {
      const e = await postJson<Episode>("/api/v1/sim/faults", {
        asset: assetSel.value,
        type: typeSel.value,
        duration_s: Number(duration.value),
        severity: Number(severity.value),
        ...(isSensorFault() ? { tag: tagSel.value } : {}),
      });
      message.className = "ok";
      message.textContent = t("sim.injected", { id: e.id, asset: e.asset });
      await refresh();
    } catch (err) {
      message.className = "error";
      message.textContent = t("common.error", { msg: err instanceof Error ? err.message : String(err) });
    }
  }

  async function refresh(): Promise<void> {
    try {
      const { episodes } = await getJson<{ episodes: Episode[] }>("/api/v1/sim/episodes");
      if (disposed) return;
      const sorted = [...episodes].sort((a, b) => b.id - a.id);
      list.replaceChildren(
        sorted.length
          ? table(
              [t("sim.col.id"), t("sim.col.type"), t("sim.col.asset"), t("sim.col.root"), t("sim.col.start"), t("sim.col.end"), t("sim.col.severity"), t("sim.col.injected"), ""],
              sorted.map((e) => {
                const from = Date.parse(e.start) - 10 * 60_000;
                const to = Math.min(Date.parse(e.end) + 10 * 60_000, Date.now());
                const href = `#/trends?${query({ tags: e.tags.slice(0, 10).join(","), from, to: Math.max(to, from + 60_000), live: "0" })}`;
                return [String(e.id), tOf("fault", e.type), e.asset, e.root_cause_tag, new Date(e.start).toLocaleString(), new Date(e.end).toLocaleString(), e.severity.toFixed(2), e.injected ? "✔" : "", h("a", { href, class: "episode-trend" }, t("sim.trend"))];
              }),
              { id: "episode-table" },
            )
          : h("p", { class: "note" }, t("sim.no_episodes")),
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) list.replaceChildren(h("p", { class: "note" }, t("sim.off")));
      else list.textContent = t("common.error", { msg: err instanceof Error ? err.message : String(err) });
    }
  }

  (async () => {
    try {
      assets = flatten((await getJson<{ assets: Asset[] }>("/api/v1/assets")).assets).filter((a) => a.level === "equipment" || a.kind);
      if (disposed) return;
      assetSel.replaceChildren(...assets.map((a) => h("option", { value: a.path }, a.path)));
      fillTypes();
    } catch {
      // the episode list reports errors
    }
  })();
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
