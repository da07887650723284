// The console's shell: sign-in, navigation (hash routes), language switch and the banner shown
// while the server is unreachable. Views live in src/views/ and are re-made on language change.

import { ApiError, adoptTokenFromUrl, getJson, onReachability, onUnauthorized, setToken, token } from "./api";
import { h } from "./dom";
import { initLang, lang, setLang, t } from "./i18n";
import { backoffDelayMs } from "./lib/backoff";
import type { MessageKey } from "./messages/en";
import { overviewView } from "./views/overview";
import { alertsView } from "./views/alerts";
import { healthView } from "./views/health";
import { simView } from "./views/sim";
import { spcView } from "./views/spc";
import { systemView } from "./views/system";
import { trendsView } from "./views/trends";

export interface View {
  el: HTMLElement;
  dispose(): void;
}
type ViewFactory = (params: URLSearchParams) => View;

const routes: [string, MessageKey, ViewFactory][] = [
  ["overview", "nav.overview", overviewView],
  ["trends", "nav.trends", trendsView],
  ["alerts", "nav.alerts", alertsView],
  ["spc", "nav.spc", spcView],
  ["health", "nav.health", healthView],
  ["system", "nav.system", systemView],
  ["sim", "nav.sim", simView],
];

const root = document.getElementById("app")!;
let current: View | null = null;
let signInMessage: MessageKey | null = null;

function parseHash(): [string, URLSearchParams] {
  const hash = location.hash.replace(/^#\/?/, "");
  const [name, q] = hash.split("?", 2);
  return [name || "overview", new URLSearchParams(q ?? "")];
}

function renderSignIn(): void {
  current?.dispose();
  current = null;
  const input = h("input", { id: "token", type: "password", autocomplete: "off", "aria-label": t("signin.token") });
  const form = h(
    "form",
    {
      class: "signin",
      onsubmit: (e: Event) => {
        e.preventDefault();
        setToken(input.value.trim());
        signInMessage = null;
        void start();
      },
    },
    h("h1", {}, t("app.title")),
    h("h2", {}, t("signin.title")),
    signInMessage ? h("p", { class: "error", id: "signin-message" }, t(signInMessage)) : null,
    h("label", {}, t("signin.token"), input),
    h("button", { type: "submit" }, t("signin.submit")),
    h("p", { class: "note" }, t("signin.hint")),
    langButton(),
  );
  root.replaceChildren(form);
  input.focus();
}

function langButton(): HTMLButtonElement {
  return h("button", { id: "lang", type: "button", class: "link", onclick: () => setLang(lang() === "en" ? "zh-CN" : "en") }, t("lang.switch"));
}

function renderShell(): void {
  const [name, params] = parseHash();
  const route = routes.find((r) => r[0] === name) ?? routes[0]!;
  current?.dispose();
  const nav = h(
    "nav",
    {},
    ...routes.map(([id, key]) => h("a", { href: `#/${id}`, class: id === route[0] ? "active" : "", id: `nav-${id}` }, t(key))),
  );
  const header = h(
    "header",
    {},
    h("b", {}, t("app.title")),
    nav,
    h("span", { class: "spacer" }),
    langButton(),
    h("button", { type: "button", class: "link", id: "signout", onclick: signOut }, t("signin.out")),
  );
  current = route[2](params);
  root.replaceChildren(header, h("div", { id: "banner", hidden: true }), h("main", {}, current.el));
}

function signOut(): void {
  setToken(null);
  renderSignIn();
}

// While the server is unreachable: a banner, and /healthz polled with backoff until it answers;
// then the page is rebuilt so every view reloads its data.
let down = false;
async function watchServer(): Promise<void> {
  for (let attempt = 0; down; ++attempt) {
    const delay = backoffDelayMs(attempt);
    const banner = document.getElementById("banner");
    if (banner) {
      banner.hidden = false;
      banner.textContent = `${t("conn.lost")} ${t("conn.retry", { s: Math.ceil(delay / 1000), n: attempt + 1 })}`;
    }
    await new Promise((r) => setTimeout(r, delay));
    try {
      const r = await fetch("/healthz", { cache: "no-store" });
      if (r.ok) down = false;
    } catch {
      // still down
    }
  }
  if (token()) renderShell();
}

onReachability((up) => {
  if (up || down) return;
  down = true;
  void watchServer();
});

onUnauthorized(() => {
  setToken(null);
  signInMessage = "signin.rejected";
  renderSignIn();
});

async function start(): Promise<void> {
  if (!token()) {
    renderSignIn();
    return;
  }
  try {
    await getJson("/api/v1/version");
    renderShell();
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) renderShell(); // unreachable: the banner says so
  }
}

initLang();
adoptTokenFromUrl();
window.addEventListener("hashchange", () => token() && renderShell());
window.addEventListener("zz-lang", () => (token() && current ? renderShell() : renderSignIn()));
void start();
