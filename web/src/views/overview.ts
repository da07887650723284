// Plant overview: the ISA-95 asset tree with each asset's state (derived from its tags' last
// values, src/lib/assetstate.ts), search by asset name or tag path, and the selected asset's tags
// with their last values, and each asset's open alerts (GET /api/v1/events?active=true, counted at
// the asset and its ancestors).

import { getJson, query, type Asset, type LastValue, type Tag } from "../api";
import { h, table } from "../dom";
import { lang, t, tOf } from "../i18n";
import { assetStates, type AssetState, type TagInfo } from "../lib/assetstate";
import { openCounts, type AlertEvent } from "../lib/events";
import type { View } from "../main";
import type { MessageKey } from "../messages/en";

const kRefreshMs = 5_000;
const kLastChunk = 200; // tags per /series/last request: keeps URLs short

export interface PlantData {
  assets: Asset[];
  tags: Tag[];
}

export async function loadPlant(): Promise<PlantData> {
  const [a, tg] = await Promise.all([
    getJson<{ assets: Asset[] }>("/api/v1/assets"),
    getJson<{ tags: Tag[] }>("/api/v1/tags?limit=100000"),
  ]);
  return { assets: a.assets, tags: tg.tags };
}

export async function loadLast(paths: string[]): Promise<Map<string, LastValue>> {
  const out = new Map<string, LastValue>();
  const chunks: string[][] = [];
  for (let i = 0; i < paths.length; i += kLastChunk) chunks.push(paths.slice(i, i + kLastChunk));
  const answers = await Promise.all(chunks.map((c) => getJson<{ values: LastValue[] }>(`/api/v1/series/last?${query({ tags: c.join(",") })}`)));
  for (const a of answers) for (const v of a.values) out.set(v.tag, v);
  return out;
}

export function assetPaths(assets: Asset[]): Map<number, string> {
  const out = new Map<number, string>();
  const walk = (list: Asset[]) => list.forEach((a) => (out.set(a.id, a.path), walk(a.children)));
  walk(assets);
  return out;
}

export function describe(d: { en: string; zh: string }): string {
  return (lang() === "zh-CN" ? d.zh || d.en : d.en || d.zh) ?? "";
}

function stateBadge(state: AssetState): HTMLElement {
  return h("span", { class: `state state-${state}`, title: t(`state.${state}` as MessageKey) }, t(`state.${state}` as MessageKey));
}

function formatValue(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, "");
  if (v === null || v === undefined) return "";
  return String(v);
}

export function overviewView(): View {
  const el = h("section", { id: "view-overview", class: "split" });
  const search = h("input", { type: "search", id: "search", placeholder: t("common.search"), "aria-label": t("common.search") });
  const treeBox = h("div", { id: "tree", class: "tree" }, t("common.loading"));
  const detail = h("div", { id: "detail", class: "detail" }, h("p", { class: "note" }, t("overview.select")));
  const summary = h("p", { class: "note", id: "summary" });
  el.append(h("aside", {}, h("h2", {}, t("overview.assets")), search, summary, treeBox), detail);

  let plant: PlantData | null = null;
  let infos: TagInfo[] = [];
  let last = new Map<string, LastValue>();
  let alerts: Map<string, number> | null = null; // null until the first answer
  let selected: string | null = null;
  let timer: number | undefined;
  let disposed = false;

  const tagsOf = (assetPath: string) => plant!.tags.filter((tg) => tg.path.startsWith(assetPath + "/") && tg.path.lastIndexOf("/") === assetPath.length);

  function renderTree(): void {
    if (!plant) return;
    const states = assetStates(infos, new Map([...last].map(([k, v]) => [k, v.value])));
    const q = search.value.trim().toLowerCase();
    if (plant.assets.length === 0) {
      treeBox.replaceChildren(h("p", { class: "note", id: "empty-plant" }, t("overview.empty")));
      return;
    }
    // With a query: an asset shows when its name or path matches, or one of its tags' paths
    // does, or a descendant shows.
    const matches = (a: Asset): boolean =>
      !q || a.name.toLowerCase().includes(q) || a.path.toLowerCase().includes(q) || tagsOf(a.path).some((tg) => tg.path.toLowerCase().includes(q)) || a.children.some(matches);
    const build = (list: Asset[]): HTMLElement =>
      h(
        "ul",
        {},
        ...list.filter(matches).map((a) =>
          h(
            "li",
            {},
            h(
              "button",
              { type: "button", class: a.path === selected ? "asset selected" : "asset", "data-path": a.path, title: describe(a.description), onclick: () => select(a.path) },
              stateBadge(states.get(a.path) ?? "unknown"),
              " ",
              a.name,
              h("small", { class: "level" }, tOf("level", a.level)),
              alerts?.get(a.path) ? h("span", { class: "alert-count", title: t("overview.alerts") }, String(alerts.get(a.path))) : null,
            ),
            a.children.length ? build(a.children) : null,
          ),
        ),
      );
    const tree = build(plant.assets);
    treeBox.replaceChildren(tree.childElementCount ? tree : h("p", { class: "note" }, t("overview.no_match", { q })));
    if (!document.querySelector("[data-painted]")) {
      treeBox.setAttribute("data-painted", "");
      performance.mark("zz-overview-tree");
    }
  }

  function renderDetail(): void {
    if (!plant || !selected) return;
    const q = search.value.trim().toLowerCase();
    const tags = tagsOf(selected).filter((tg) => !q || tg.path.toLowerCase().includes(q) || selected!.toLowerCase().includes(q));
    const rows = tags.map((tg) => {
      const v = last.get(tg.path);
      return [
        h("a", { href: `#/trends?${query({ tags: tg.path })}` }, tg.name),
        formatValue(v?.value),
        tg.unit,
        v ? tOf("quality", v.quality) : "",
        typeof v?.time === "string" ? new Date(v.time).toLocaleTimeString() : "",
        describe(tg.description),
      ];
    });
    const trendAll = `#/trends?${query({ tags: tags.slice(0, 10).map((tg) => tg.path).join(",") })}`;
    detail.replaceChildren(
      h("h2", {}, selected),
      h("p", {}, h("span", {}, `${t("overview.alerts")}: `), alerts === null
          ? h("span", { class: "note", id: "open-alerts" }, t("overview.alerts_pending"))
          : h("a", { href: `#/alerts?active=1`, id: "open-alerts", class: alerts.get(selected) ? "error" : "" }, t("overview.alerts_open", { n: alerts.get(selected) ?? 0 })),
        " · ", h("a", { href: trendAll, id: "trend-asset" }, t("overview.trend_asset")),
        " · ", h("a", { href: `#/health?${query({ asset: selected })}`, id: "asset-health" }, t("overview.asset_health"))),
      table([t("overview.tags"), t("tag.value"), t("tag.unit"), t("tag.quality"), t("tag.time"), t("tag.description")], rows, { id: "tag-table" }),
    );
  }

  function select(path: string): void {
    selected = path;
    renderTree();
    renderDetail();
  }

  async function refresh(): Promise<void> {
    try {
      const [values, open] = await Promise.all([
        loadLast(plant!.tags.map((tg) => tg.path)),
        getJson<{ events: AlertEvent[] }>("/api/v1/events?active=true&limit=1000").catch(() => null),
      ]);
      last = values;
      if (open) alerts = openCounts(open.events);
      if (disposed) return;
      renderTree();
      renderDetail();
    } catch {
      // the banner reports an unreachable server; keep the last values shown
    }
  }

  (async () => {
    try {
      plant = await loadPlant();
      if (disposed) return;
      const paths = assetPaths(plant.assets);
      infos = plant.tags.map((tg) => ({ ...tg, asset_path: paths.get(tg.asset_id) ?? tg.path.slice(0, tg.path.lastIndexOf("/")) }));
      summary.textContent = t("overview.count", { assets: paths.size, tags: plant.tags.length });
      renderTree(); // first paint without states, then again with them
      await refresh();
      timer = window.setInterval(refresh, kRefreshMs);
    } catch (err) {
      treeBox.replaceChildren(h("p", { class: "error" }, t("common.error", { msg: err instanceof Error ? err.message : String(err) })));
    }
  })();
  search.addEventListener("input", () => {
    renderTree();
    renderDetail();
  });

  return {
    el,
    dispose() {
      disposed = true;
      clearInterval(timer);
    },
  };
}
