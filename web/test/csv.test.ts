import assert from "node:assert/strict";
import { test } from "node:test";
import { csvField, toCsv, visibleCsv } from "../src/lib/csv";

test("fields with commas, quotes or newlines are quoted", () => {
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("line\nbreak"), '"line\nbreak"');
  assert.equal(csvField(null), "");
  assert.equal(csvField(1.5), "1.5");
  assert.equal(toCsv(["a", "b"], [[1, null]]), "a,b\r\n1,\r\n");
});

test("the export holds only the visible range and skips rows with no value", () => {
  const csv = visibleCsv(
    ["p/flow", "p/temp"],
    [
      [0, 1000, 2000, 3000],
      [1, null, 3, 4],
      [null, null, 30, null],
    ],
    1000,
    2000,
  );
  assert.equal(csv, "time,p/flow,p/temp\r\n1970-01-01T00:00:02.000Z,3,30\r\n");
});
