import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAlarmState, parseLimits } from "../src/lib/limits";

test("empty fields are no limit; numbers are taken as typed", () => {
  assert.deepEqual(parseLimits({ lolo: "", lo: " 10 ", hi: "450", hihi: "1e3" }), { limits: { lolo: null, lo: 10, hi: 450, hihi: 1000 } });
  assert.deepEqual(parseLimits({ lolo: "-0.5", lo: "", hi: "", hihi: "" }), { limits: { lolo: -0.5, lo: null, hi: null, hihi: null } });
});

test("the first field that is not a finite number is named", () => {
  assert.deepEqual(parseLimits({ lolo: "", lo: "ten", hi: "abc", hihi: "" }), { bad: "lo" });
  assert.deepEqual(parseLimits({ lolo: "", lo: "", hi: "Infinity", hihi: "" }), { bad: "hi" });
  assert.deepEqual(parseLimits({ lolo: "", lo: "", hi: "", hihi: "1,5" }), { bad: "hihi" });
});

test("the alarm state select: none, true or false", () => {
  assert.equal(parseAlarmState(""), null);
  assert.equal(parseAlarmState("true"), true);
  assert.equal(parseAlarmState("false"), false);
});
