import { test } from "node:test";
import assert from "node:assert/strict";
import { ENTITY_COLOURS, taggedTokensBundle } from "../../../lib/display/tagged-tokens";

const tokens = ["anna", "lives", "in", "new", "york"];
const truth = { name: "true", tags: ["B-PER", "O", "O", "B-LOC", "I-LOC"] };
const guess = { name: "model", tags: ["B-PER", "O", "O", "B-LOC", "O"] };

test("each tag cell is coloured by its entity type, B and I alike", () => {
  const html = taggedTokensBundle(tokens, [truth])["text/html"];
  assert.equal(html.split(`background:${ENTITY_COLOURS.LOC}`).length - 1, 2);
  assert.equal(html.split(`background:${ENTITY_COLOURS.PER}`).length - 1, 1);
  assert.equal(html.split("background:#ffffff").length - 1, 2);
});

test("only cells that disagree with the first row are marked, in both versions", () => {
  const bundle = taggedTokensBundle(tokens, [truth, guess]);
  assert.equal(bundle["text/html"].split("outline:2px solid").length - 1, 1);
  const lines = bundle["text/plain"].split("\n");
  assert.equal(lines.length, 3);
  assert.ok(!lines[1]!.includes("*"));
  assert.match(lines[2]!, /O\*$/);
  // columns line up: each token starts where its tags start
  assert.equal(lines[0]!.indexOf("york"), lines[1]!.indexOf("I-LOC"));
});

test("tokens and names are escaped; a caption is shown", () => {
  const bundle = taggedTokensBundle(["<b>", "&"], [{ name: "a<b", tags: ["O", "B-XYZ"] }], { caption: "x & y" });
  assert.ok(bundle["text/html"].includes("&lt;b&gt;") && bundle["text/html"].includes("&amp;") && !bundle["text/html"].includes("<b>"));
  assert.ok(bundle["text/html"].includes("<caption>x &amp; y</caption>"));
  assert.ok(bundle["text/html"].includes("background:#d9d9d9"), "an unknown type gets the grey");
  assert.equal(bundle["text/plain"].split("\n")[0], "x & y");
});

test("a row whose length differs from the tokens is an error naming the row", () => {
  assert.throws(() => taggedTokensBundle(tokens, [truth, { name: "short", tags: ["O"] }]), /rows\[1\] \("short"\) has 1 tags for 5 tokens/);
  assert.throws(() => taggedTokensBundle([], [truth]), /tokens must be a non-empty/);
  assert.throws(() => taggedTokensBundle(tokens, []), /at least one/);
});
