// Alerts: the list of events raised by models (GET /api/v1/events, then live changes from
// /api/v1/stream with events on, merged by src/lib/events.ts), filtered to active/all and
// shelved hidden/shown; selecting one opens it (views/alert_detail.ts). #/alerts?id=N opens N.

import { getJson, query, type Tag } from "../api";
import { h, table } from "../dom";
import { t } from "../i18n";
import { detailKey, eventsQuery, filterEvents, isShelved, mergeEvent, type AlertEvent, type EventFilter } from "../lib/events";
import { LiveStream } from "../live";
import type { View } from "../main";
import { aiLabel, fmtScore, localTime, refreshAlertDetail, renderAlertDetail, severityBadge } from "./alert_detail";

const kLimit = 500;

export function alertsView(params: URLSearchParams): View {
  const el = h("section", { id: "view-alerts", class: "split wide-detail" });
  const filter: EventFilter = { activeOnly: params.get("active") === "1", showShelved: params.get("shelved") === "show" };
  const activeBox = h("input", { type: "checkbox", id: "alerts-active", checked: filter.activeOnly });
  const shelvedBox = h("input", { type: "checkbox", id: "alerts-shelved", checked: filter.showShelved });
  const liveNote = h("span", { class: "note", id: "alerts-live" });
  const count = h("p", { class: "note", id: "alerts-count" });
  const listBox = h("div", { id: "alert-list" }, t("common.loading"));
  const detail = h("div", { class: "detail", id: "alert-detail" }, h("p", { class: "note" }, t("alerts.select")));
  el.append(
    h(
      "aside",
      {},
      h("h2", {}, t("alerts.title")),
      h("div", { class: "toolbar" }, h("label", {}, activeBox, " ", t("alerts.active_only")), h("label", {}, shelvedBox, " ", t("alerts.show_shelved"))),
      h("p", {}, liveNote),
      count,
      listBox,
    ),
    detail,
  );

  let events: AlertEvent[] = [];
  let selected: number | null = params.get("id") ? Number(params.get("id")) : null;
  let disposeDetail: (() => void) | null = null;
  let detailShown: string | null = null; // detailKey of the event on show
  let listQueued = false;
  let disposed = false;
  let tagsPromise: Promise<Tag[]> | null = null;
  const tags = () => (tagsPromise ??= getJson<{ tags: Tag[] }>("/api/v1/tags?limit=100000").then((a) => a.tags));

  function syncUrl(): void {
    const q = query({ active: filter.activeOnly ? "1" : undefined, shelved: filter.showShelved ? "show" : undefined, id: selected ?? undefined });
    history.replaceState(null, "", `#/alerts${q ? `?${q}` : ""}`);
  }

  function renderList(): void {
    const shown = filterEvents(events, filter, Date.now());
    count.textContent = t("alerts.count", { shown: shown.length, total: events.length });
    if (!shown.length) {
      listBox.replaceChildren(h("p", { class: "note", id: "alerts-none" }, t("alerts.none")));
      return;
    }
    const now = Date.now();
    const rows = shown.map((e) => [
      h("span", {}, severityBadge(e), " ", aiLabel(e) ?? ""),
      h(
        "span",
        {},
        h("button", { type: "button", class: "link alert-open", "data-id": e.id, title: e.message, onclick: () => open(e.id) }, e.asset.path.split("/").slice(-2).join("/")),
        h("small", { class: "level", title: e.source }, e.source.split("/").pop() ?? ""),
      ),
      e.detector,
      fmtScore(e.score),
      localTime(e.start),
      h(
        "span",
        {},
        h("span", { class: e.active ? "alert-state active" : "alert-state cleared" }, e.active ? t("alerts.active") : t("alerts.cleared")),
        e.acknowledged ? h("span", { class: "mark acked", title: t("alerts.acked") }, " ✔") : "",
        isShelved(e, now) ? h("span", { class: "mark shelved", title: t("alerts.shelved") }, " ⏸") : "",
      ),
    ]);
    const tbl = table([t("alerts.col.severity"), t("alerts.col.asset"), t("alerts.col.detector"), t("alerts.col.score"), t("alerts.col.start"), t("alerts.col.state")], rows, { id: "alert-table" });
    tbl.querySelectorAll("tbody tr").forEach((tr, i) => {
      const e = shown[i]!;
      tr.setAttribute("data-id", String(e.id));
      if (e.id === selected) tr.classList.add("selected");
    });
    listBox.replaceChildren(tbl);
  }

  function renderDetail(): void {
    const e = events.find((x) => x.id === selected) ?? null;
    const key = e ? detailKey(e) : "";
    if (key === detailShown) {
      if (e) refreshAlertDetail(detail, e); // its score, explanation or last update changed
      return;
    }
    disposeDetail?.();
    disposeDetail = null;
    detailShown = key;
    if (!e) {
      detail.replaceChildren(h("p", { class: "note" }, t("alerts.select")));
      return;
    }
    disposeDetail = renderAlertDetail(detail, e, {
      tags,
      onChanged: (updated) => {
        apply(updated);
        renderList(); // the user's own action: at once
      },
    });
  }

  function apply(e: AlertEvent): void {
    events = mergeEvent(events, e);
    renderDetail();
    // Active events update with their samples: redraw the list at most 4 times a second.
    if (listQueued) return;
    listQueued = true;
    setTimeout(() => {
      listQueued = false;
      if (!disposed) renderList();
    }, 250);
  }

  function open(id: number): void {
    selected = id;
    syncUrl();
    renderList();
    renderDetail();
  }

  async function load(): Promise<void> {
    try {
      // Everything (the filters apply here, so switching them needs no reload); the newest first.
      const body = await getJson<{ events: AlertEvent[] }>(`/api/v1/events?${query(eventsQuery({ activeOnly: false, showShelved: true }, kLimit))}`);
      if (disposed) return;
      events = body.events.reduce<AlertEvent[]>((list, e) => mergeEvent(list, e), []);
      if (selected !== null && !events.some((e) => e.id === selected)) {
        const one = await getJson<AlertEvent>(`/api/v1/events/${selected}`).catch(() => null);
        if (one && !disposed) events = mergeEvent(events, one);
      }
      renderList();
      detailShown = null;
      renderDetail();
    } catch (err) {
      listBox.replaceChildren(h("p", { class: "error" }, t("common.error", { msg: err instanceof Error ? err.message : String(err) })));
    }
  }

  for (const [box, key] of [
    [activeBox, "activeOnly"],
    [shelvedBox, "showShelved"],
  ] as const) {
    box.addEventListener("change", () => {
      filter[key] = box.checked;
      syncUrl();
      renderList();
    });
  }

  let wasClosed = false;
  void load();
  const stream = new LiveStream(
    [],
    {
      onSamples() {},
      onEvent(msg) {
        if (!disposed) apply(msg.event as AlertEvent);
      },
      onState(state) {
        liveNote.textContent = state === "open" ? `● ${t("alerts.live")}` : t("alerts.live_off");
        liveNote.className = state === "open" ? "ok" : "note";
        if (state === "open" && wasClosed) void load(); // changes missed while away
        wasClosed = state === "closed";
      },
    },
    true,
  );
  // Shelves run out on their own: re-filter once a minute.
  const timer = window.setInterval(renderList, 60_000);

  return {
    el,
    dispose() {
      disposed = true;
      stream.close();
      clearInterval(timer);
      disposeDetail?.();
    },
  };
}
