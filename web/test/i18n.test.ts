import assert from "node:assert/strict";
import { test } from "node:test";
import { catalogs, format, pickLang, tOf, translate } from "../src/i18n";
import { en } from "../src/messages/en";
import { zhCN } from "../src/messages/zh-CN";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("both catalogs have exactly the same keys", () => {
  assert.deepEqual(Object.keys(zhCN).sort(), Object.keys(en).sort());
});

test("no message is empty and each translation keeps the placeholders of the English one", () => {
  for (const key of Object.keys(en) as (keyof typeof en)[]) {
    for (const [lang, catalog] of Object.entries(catalogs)) assert.ok(catalog[key].trim().length > 0, `${lang} ${key} is empty`);
    assert.deepEqual(placeholders(zhCN[key]), placeholders(en[key]), `placeholders of ${key}`);
  }
});

test("the Chinese catalog is translated, not copied", () => {
  const same = (Object.keys(en) as (keyof typeof en)[]).filter((k) => en[k] === zhCN[k] && /[a-z]{3}/.test(en[k]));
  assert.deepEqual(same, []);
});

test("browser languages pick zh-CN for any Chinese and English otherwise", () => {
  assert.equal(pickLang(["zh-CN"]), "zh-CN");
  assert.equal(pickLang(["zh-TW", "en"]), "zh-CN");
  assert.equal(pickLang(["en-GB", "zh-CN"]), "en");
  assert.equal(pickLang(["de-DE", "zh"]), "zh-CN");
  assert.equal(pickLang(["fr"]), "en");
  assert.equal(pickLang([]), "en");
});

test("format fills known placeholders and leaves unknown ones visible", () => {
  assert.equal(format("{a} of {b}", { a: 1, b: "x" }), "1 of x");
  assert.equal(format("{a} {missing}", { a: 2 }), "2 {missing}");
  assert.equal(translate("zh-CN", "overview.count", { assets: 3, tags: 7 }), "3 个资产，7 个位号");
  assert.equal(translate("en", "overview.count", { assets: 3, tags: 7 }), "3 assets, 7 tags");
});

test("names from data are translated when the catalogs know them, shown as they are otherwise", () => {
  assert.equal(translate("zh-CN", "fault.bearing_wear"), "轴承磨损");
  assert.equal(translate("zh-CN", "level.equipment"), "设备");
  assert.equal(translate("zh-CN", "conn.state.running"), "运行中");
  // tOf reads the current language (English until initLang): a known value, then an unknown one.
  assert.equal(tOf("fault", "cavitation"), "cavitation");
  assert.equal(tOf("fault", "sensor_spike"), "sensor spikes");
  assert.equal(tOf("fault", "new_fault_type"), "new_fault_type");
});
