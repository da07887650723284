// The place of a view whose server API is still being built (equipment health): it
// says what will appear and shows no made-up data.

import { h } from "../dom";
import { t } from "../i18n";
import type { View } from "../main";
import type { MessageKey } from "../messages/en";

export function pendingView(what: MessageKey, id: string): View {
  const el = h("section", { class: "pending", id: `view-${id}` }, h("h2", {}, t("pending.title")), h("p", {}, t(what)));
  return { el, dispose() {} };
}
