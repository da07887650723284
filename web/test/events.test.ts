import assert from "node:assert/strict";
import { test } from "node:test";
import { chartTags, contributionBars, detailKey, eventWindow, eventsQuery, filterEvents, mergeEvent, modelName, openCounts, type AlertEvent } from "../src/lib/events";

function ev(id: number, over: Partial<AlertEvent> = {}): AlertEvent {
  return {
    id,
    asset: { id: 1, path: "demo/plant1/pumping/ps01/pumphouse/P1" },
    source: "tag:demo/plant1/pumping/ps01/pumphouse/P1/flow",
    detector: "zscore",
    model: null,
    severity: "high",
    score: 5,
    threshold: 3,
    start: new Date(1_000_000 + id * 1000).toISOString(),
    end: null,
    last: new Date(1_000_000 + id * 1000).toISOString(),
    active: true,
    returns: 0,
    message: "",
    contributions: [],
    acknowledged: null,
    shelved: null,
    generated_by: "ai",
    data: "",
    ...over,
  };
}

test("a live change replaces the event with its id, a new one joins, newest first", () => {
  let list = [ev(1), ev(2)];
  list = mergeEvent(list, ev(3));
  assert.deepEqual(list.map((e) => e.id), [3, 2, 1]);
  const cleared = ev(2, { active: false, end: new Date(1_010_000).toISOString(), last: new Date(1_010_000).toISOString() });
  list = mergeEvent(list, cleared);
  assert.deepEqual(list.map((e) => e.id), [3, 2, 1]);
  assert.equal(list[1]!.active, false);
});

test("a stale copy of an event does not overwrite a fresher one", () => {
  const fresh = ev(1, { last: new Date(2_000_000).toISOString(), acknowledged: { by: "admin", time: "x" } });
  const list = mergeEvent([fresh], ev(1));
  assert.equal(list[0]!.acknowledged?.by, "admin");
});

test("filters: active only and shelved hidden until the shelf runs out", () => {
  const now = 5_000_000;
  const list = [ev(1), ev(2, { active: false }), ev(3, { shelved: { by: "a", until: new Date(now + 1000).toISOString() } }), ev(4, { shelved: { by: "a", until: new Date(now - 1000).toISOString() } })];
  assert.deepEqual(filterEvents(list, { activeOnly: true, showShelved: false }, now).map((e) => e.id), [1, 4]);
  assert.deepEqual(filterEvents(list, { activeOnly: false, showShelved: true }, now).map((e) => e.id), [1, 2, 3, 4]);
  assert.deepEqual(eventsQuery({ activeOnly: true, showShelved: false }, 50), { active: "true", shelved: "hide", limit: 50 });
  assert.deepEqual(eventsQuery({ activeOnly: false, showShelved: true }, 50), { active: undefined, shelved: undefined, limit: 50 });
});

test("contributions become bars scaled to the largest magnitude, largest first, with shares of the total", () => {
  const bars = contributionBars([
    { tag_id: 1, path: "a/P1/flow", weight: 0.25 },
    { tag_id: 2, path: "a/P1/vibration", weight: -0.75 },
    { tag_id: 3, path: "a/P1/bad", weight: Number.NaN },
  ]);
  assert.deepEqual(bars.map((b) => b.label), ["P1/vibration", "P1/flow"]);
  assert.deepEqual(bars.map((b) => b.share), [1, 1 / 3]);
  assert.deepEqual(bars.map((b) => b.percent), ["75%", "25%"]);
  assert.deepEqual(contributionBars([{ tag_id: 1, path: "x", weight: 0 }])[0]!.percent, "—");
  assert.ok(bars.every((b) => !b.firstOut), "no source given: no first-out");
});

test("a grouped event lists its first-out (the source tag) first and marks it; a lone tag is not marked", () => {
  const list = [
    { tag_id: 1, path: "a/P1/flow", weight: 0.25 },
    { tag_id: 2, path: "a/P1/vibration", weight: 0.75 },
  ];
  const bars = contributionBars(list, "tag:a/P1/flow");
  assert.deepEqual(bars.map((b) => [b.label, b.firstOut]), [["P1/flow", true], ["P1/vibration", false]]);
  assert.equal(bars[0]!.share, 1 / 3, "its bar keeps its own weight");
  assert.equal(contributionBars([list[0]!], "tag:a/P1/flow")[0]!.firstOut, false);
  assert.ok(contributionBars(list, "model:pca-1").every((b) => !b.firstOut));
});

test("open alerts count at the asset and each ancestor; cleared ones do not count", () => {
  const counts = openCounts([ev(1), ev(2, { asset: { id: 2, path: "demo/plant1/pumping/ps01/pumphouse/P2" } }), ev(3, { active: false })]);
  assert.equal(counts.get("demo/plant1/pumping/ps01/pumphouse/P1"), 1);
  assert.equal(counts.get("demo/plant1/pumping/ps01/pumphouse"), 2);
  assert.equal(counts.get("demo"), 2);
});

test("an event's chart window pads its span and stops at now; its tags come from the contributions", () => {
  const e = ev(1, { start: new Date(1_000_000).toISOString(), end: new Date(1_060_000).toISOString() });
  assert.deepEqual(eventWindow(e, 600_000, 10_000_000), { fromMs: 400_000, toMs: 1_660_000 });
  assert.equal(eventWindow(e, 600_000, 1_200_000).toMs, 1_200_000);
  assert.deepEqual(chartTags(e, 5), ["demo/plant1/pumping/ps01/pumphouse/P1/flow"]);
  const withC = ev(1, { contributions: [{ tag_id: 1, path: "x/a", weight: 1 }, { tag_id: 2, path: "x/b", weight: 2 }] });
  assert.deepEqual(chartTags(withC, 1), ["x/b"]);
});

test("an update of score, explanation or last time alone keeps the opened alert's page; acknowledging changes it", () => {
  const e = ev(1);
  assert.equal(detailKey({ ...e, score: 9, last: new Date(9_000_000).toISOString() }), detailKey(e));
  // Changed in place: a new peak's explanation and weights.
  assert.equal(detailKey({ ...e, message: "a new peak" }), detailKey(e));
  const weighted = ev(1, { contributions: [{ tag_id: 1, path: "a/x", weight: 1 }] });
  assert.equal(detailKey({ ...weighted, contributions: [{ tag_id: 1, path: "a/x", weight: 2 }] }), detailKey(weighted));
  // Another tag among the contributions is another chart.
  assert.notEqual(detailKey({ ...weighted, contributions: [{ tag_id: 2, path: "a/y", weight: 1 }] }), detailKey(weighted));
  assert.notEqual(detailKey({ ...e, acknowledged: { by: "admin", time: "t" } }), detailKey(e));
  assert.notEqual(detailKey({ ...e, active: false, end: "t" }), detailKey(e));
});

test("an event names the model version that raised it, or none for a streaming detector", () => {
  assert.equal(modelName(ev(1, { model: { id: "pca-p1", version: 2 } })), "pca-p1 v2");
  assert.equal(modelName(ev(2)), "—");
});
