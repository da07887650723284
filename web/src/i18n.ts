// Message catalogs and the current language: the browser's by default, the user's choice
// (kept in localStorage) once made. Views re-render on "zz-lang" events.

import { en, type MessageKey } from "./messages/en";
import { zhCN } from "./messages/zh-CN";

export type Lang = "zh-CN" | "en";
export const catalogs: Record<Lang, Record<MessageKey, string>> = { "zh-CN": zhCN, en };

const kStorageKey = "zhizao.lang";
let current: Lang = "en";

// zh, zh-CN, zh-Hans… → zh-CN; everything else → en.
export function pickLang(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith("zh")) return "zh-CN";
    if (lower.startsWith("en")) return "en";
  }
  return "en";
}

// {name} placeholders filled from `params`; an unknown placeholder stays as written.
export function format(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  return format(catalogs[lang][key] ?? en[key], params);
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(current, key, params);
}

// The message of a key made from data (a level, a fault type, a state): the value itself when
// the catalogs do not know it, so that a new one on the server still shows.
export function tOf(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in en ? t(key as MessageKey) : value;
}

export function lang(): Lang {
  return current;
}

export function initLang(): void {
  const saved = localStorage.getItem(kStorageKey);
  current = saved === "en" || saved === "zh-CN" ? saved : pickLang(navigator.languages ?? [navigator.language]);
  document.documentElement.lang = current;
}

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem(kStorageKey, next);
  document.documentElement.lang = next;
  window.dispatchEvent(new Event("zz-lang"));
}
