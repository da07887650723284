import assert from "node:assert/strict";
import { test } from "node:test";
import { assetStates, tagState, type TagInfo } from "../src/lib/assetstate";

const noLimits: TagInfo["limits"] = { lo: null, hi: null, lolo: null, hihi: null, alarm_state: null };
const tag = (path: string, data_type: string, limits = noLimits): TagInfo => ({
  path,
  name: path.slice(path.lastIndexOf("/") + 1),
  asset_path: path.slice(0, path.lastIndexOf("/")),
  data_type,
  limits,
});

test("running flags, machine state codes and alarm flags map to states", () => {
  assert.equal(tagState(tag("p/P1/running", "bool"), true), "running");
  assert.equal(tagState(tag("p/P1/running", "bool"), false), "stopped");
  assert.equal(tagState(tag("p/m/state", "int64"), 1), "running");
  assert.equal(tagState(tag("p/m/state", "int64"), 2), "idle");
  assert.equal(tagState(tag("p/m/state", "int64"), 3), "stopped");
  const leak = tag("p/P1/seal_leak_alarm", "bool", { ...noLimits, alarm_state: true });
  assert.equal(tagState(leak, true), "alarm");
  assert.equal(tagState(leak, false), "unknown");
  const gate = tag("p/g/in_tolerance", "bool", { ...noLimits, alarm_state: false });
  assert.equal(tagState(gate, false), "alarm", "a discrete alarm whose alarm state is false");
  assert.equal(tagState(tag("p/P1/other_alarm", "bool"), true), "unknown", "a name is no alarm state");
  assert.equal(tagState(tag("p/P1/flow", "float64"), undefined), "unknown");
});

test("a float outside its alarm limits is an alarm; counters are not judged", () => {
  const limits = { lo: 1, hi: 5, lolo: null, hihi: 9, alarm_state: null };
  assert.equal(tagState(tag("p/P1/flow", "float64", limits), 7), "unknown"); // above hi, below hihi
  assert.equal(tagState(tag("p/P1/flow", "float64", limits), 10), "alarm");
  assert.equal(tagState(tag("p/P1/flow", "float64", limits), 0.5), "alarm");
  assert.equal(tagState(tag("p/P1/count", "int64", limits), 100), "unknown");
});

test("states roll up to every ancestor as the worst of the children", () => {
  const tags = [tag("s/a/P1/running", "bool"), tag("s/a/P2/running", "bool"), tag("s/a/P2/seal_leak_alarm", "bool", { ...noLimits, alarm_state: true }), tag("s/b/m/state", "int64")];
  const last = new Map<string, unknown>([
    ["s/a/P1/running", true],
    ["s/a/P2/running", true],
    ["s/a/P2/seal_leak_alarm", true],
    ["s/b/m/state", 2],
  ]);
  const states = assetStates(tags, last);
  assert.equal(states.get("s/a/P1"), "running");
  assert.equal(states.get("s/a/P2"), "alarm");
  assert.equal(states.get("s/a"), "alarm");
  assert.equal(states.get("s/b"), "idle");
  assert.equal(states.get("s"), "alarm");
});
