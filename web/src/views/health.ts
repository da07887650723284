// Equipment health: for every asset an active model watches (GET /api/v1/health, every 5 s),
// its health from the model's latest row, worst first, the tags that weigh most in it (a link
// opens them in a trend), and its remaining useful life when a RUL model serves it.
// #/health?asset=PATH shows that asset alone, or says that no active model serves it.

import { ApiError, getJson, query } from "../api";
import { h, table } from "../dom";
import { lang, t } from "../i18n";
import { byAttention, forAsset, formatRul, healthLevel, percent, type AssetHealth } from "../lib/health";
import type { View } from "../main";
import { localTime } from "./alert_detail";

const kRefreshMs = 5_000;

function row(a: AssetHealth): (Node | string)[] {
  const level = healthLevel(a);
  const trend = `#/trends?${query({ tags: a.contributions.map((c) => c.path).join(","), span: "1h" })}`;
  return [
    h("a", { href: `#/overview?${query({ asset: a.asset.path })}`, title: a.asset.path }, a.asset.path.split("/").slice(-2).join("/")),
    a.health === null
      ? h("span", { class: "note" }, "—")
      : h(
          "span",
          { class: `health health-${level}`, title: t(`health.level.${level}` as const) },
          h("span", { class: "health-bar", style: `width:${percent(a.health).replace(" ", "")}` }),
          h("span", { class: "health-value" }, percent(a.health)),
        ),
    t(`health.level.${level}` as const),
    h("a", { href: trend, class: "health-tags" }, a.contributions.map((c) => `${c.path.split("/").pop()} ${percent(c.weight)}`).join(" · ") || "—"),
    a.rul ? h("span", { class: "health-rul" }, formatRul(a.rul, lang(), (iso) => localTime(iso))) : h("span", { class: "note" }, t("health.no_rul")),
    `${a.model.id} v${a.model.version} · ${a.model.kind}`,
    localTime(a.time),
  ];
}

function empty(asset: string | null): HTMLElement {
  if (!asset) return h("p", { class: "note", id: "health-none" }, t("health.none"));
  return h("p", { class: "note", id: "health-asset-none" }, t("health.asset_none", { asset }), " ", h("a", { href: "#/health" }, t("health.all")));
}

export function healthView(params: URLSearchParams): View {
  const asset = params.get("asset");
  const el = h("section", { id: "view-health" });
  const box = h("div", { id: "health-list" }, t("common.loading"));
  el.append(h("h2", {}, asset ? t("health.title_asset", { asset }) : t("health.title")), h("p", { class: "note" }, t("health.explain")), box);
  let disposed = false;

  async function refresh(): Promise<void> {
    try {
      const assets = forAsset((await getJson<{ assets: AssetHealth[] }>("/api/v1/health")).assets, asset);
      if (disposed) return;
      box.replaceChildren(
        assets.length
          ? table(
              [t("health.col.asset"), t("health.col.health"), t("health.col.state"), t("health.col.tags"), t("health.col.rul"), t("health.col.model"), t("health.col.time")],
              byAttention(assets).map(row),
              { id: "health-table" },
            )
          : empty(asset),
      );
    } catch (err) {
      if (disposed) return;
      const off = err instanceof ApiError && err.status === 503;
      box.replaceChildren(h("p", { class: "note", id: off ? "health-off" : "health-error" }, off ? t("health.off") : t("common.error", { msg: err instanceof Error ? err.message : String(err) })));
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
