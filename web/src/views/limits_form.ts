// The alarm limits of one tag, edited where its trend is drawn: lolo, lo, hi, hihi for a number,
// the alarm state for a bool (a discrete alarm). `tag` is the tag as the server holds it when the
// form opens (the caller reads it then: another page may have changed it); saved with PUT
// /api/v1/tags/{id} over the tag as the server holds it at the save, so that only its limits
// change. The live analytics judge the tag against them from its next samples.

import { getJson, putJson, type Tag } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import { kLimitKeys, parseAlarmState, parseLimits, type LimitKey } from "../lib/limits";

export function limitsForm(tag: Tag, onSaved: (saved: Tag) => void, onClose: () => void): HTMLElement {
  const message = h("p", { class: "note", id: "limits-message" });
  const boolean = tag.data_type === "bool";
  const inputs = new Map<LimitKey, HTMLInputElement>();
  const state = h(
    "select",
    { id: "limit-alarm_state" },
    h("option", { value: "" }, t("limits.state_none")),
    h("option", { value: "true" }, t("limits.state_true")),
    h("option", { value: "false" }, t("limits.state_false")),
  );
  state.value = tag.limits.alarm_state === null ? "" : String(tag.limits.alarm_state);
  const fields = boolean
    ? [h("label", {}, t("limits.state"), " ", state)]
    : kLimitKeys.map((key) => {
        const value = tag.limits[key];
        const input = h("input", { type: "text", inputmode: "decimal", id: `limit-${key}`, size: 8, value: value === null ? "" : String(value) });
        inputs.set(key, input);
        return h("label", {}, key, " ", input);
      });

  async function save(): Promise<void> {
    let edited: Partial<Tag["limits"]>;
    if (boolean) {
      edited = { alarm_state: parseAlarmState(state.value) };
    } else {
      const parsed = parseLimits(Object.fromEntries(kLimitKeys.map((k) => [k, inputs.get(k)!.value])) as Record<LimitKey, string>);
      if ("bad" in parsed) {
        message.textContent = t("limits.not_number", { field: parsed.bad });
        return;
      }
      edited = parsed.limits;
    }
    message.textContent = t("common.loading");
    try {
      // The whole tag as stored now, so that nothing else of it changes.
      const current = await getJson<Tag & Record<string, unknown>>(`/api/v1/tags/${tag.id}`);
      onSaved(await putJson<Tag>(`/api/v1/tags/${tag.id}`, { ...current, limits: { ...current.limits, ...edited } }));
    } catch (err) {
      message.textContent = t("common.error", { msg: err instanceof Error ? err.message : String(err) });
    }
  }

  return h(
    "form",
    { id: "limits-form", class: "toolbar", onsubmit: (e: Event) => (e.preventDefault(), void save()) },
    h("strong", {}, t("limits.title", { tag: tag.path })),
    ...fields,
    h("button", { type: "submit", id: "limits-save" }, t("limits.save")),
    h("button", { type: "button", onclick: onClose }, t("limits.cancel")),
    h("span", { class: "note" }, t(boolean ? "limits.note_bool" : "limits.note")),
    message,
  );
}
