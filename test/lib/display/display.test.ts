import { test } from "node:test";
import * as assert from "node:assert/strict";
import { canDisplay, captureDisplays, displayBundle, onKernelShutdown, showTable, updatableDisplay } from "../../../lib/display/display";

test("outside a kernel with no sink, displaying fails with a message that says why and what to do", () => {
  assert.equal(canDisplay(), false);
  assert.throws(() => displayBundle({ "text/plain": "x" }), /displayBundle: nowhere to display — not inside a tslab kernel, and no sink set \(call setDisplaySink\(\)/);
  assert.throws(() => updatableDisplay().update({ "text/plain": "x" }), /updatableDisplay.update: nowhere to display/);
  onKernelShutdown(() => assert.fail("no kernel, so no shutdown hook")); // a no-op outside a kernel
});

test("displayBundle sends ONE display_data holding every mime type, objects kept as objects", async () => {
  const plotly = { data: [{ y: [1, 2] }], layout: {} };
  const sent = await captureDisplays(() => displayBundle({ "application/vnd.plotly.v1+json": plotly, "text/plain": "fig" }, { isolated: true }));
  assert.deepEqual(sent, [
    { message: { data: { "application/vnd.plotly.v1+json": plotly, "text/plain": "fig" }, metadata: { isolated: true }, transient: {} }, update: false },
  ]);
  assert.equal(canDisplay(), false, "the sink is restored");
});

test("an updatable display shows once, then updates in place under the same display_id", async () => {
  const sent = await captureDisplays(() => {
    const display = updatableDisplay();
    display.update({ "text/plain": "1/3" });
    display.update({ "text/plain": "2/3" });
    display.update({ "text/plain": "done" });
  });
  assert.deepEqual(sent.map((s) => s.update), [false, true, true]);
  const ids = new Set(sent.map((s) => s.message.transient.display_id));
  assert.equal(ids.size, 1);
  assert.match([...ids][0] ?? "", /^[0-9a-f]{16}$/);
  const other = await captureDisplays(() => updatableDisplay().update({}));
  assert.notEqual(other[0]?.message.transient.display_id, [...ids][0], "each display gets its own id");
});

test("showTable sends one bundle with escaped HTML and aligned text", async () => {
  const sent = await captureDisplays(() => showTable([{ name: "<b>x</b>", value: 1.5 }]));
  assert.equal(sent.length, 1);
  const data = sent[0]?.message.data ?? {};
  assert.deepEqual(Object.keys(data), ["text/html", "text/plain"]);
  assert.match(String(data["text/html"]), /<td>&lt;b&gt;x&lt;\/b&gt;<\/td><td>1.5<\/td>/);
  assert.equal(data["text/plain"], "name      value\n--------  -----\n<b>x</b>    1.5");
});
