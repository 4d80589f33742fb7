import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as dfd from "danfojs-node";
import pl from "nodejs-polars";
import { escapeHtml, formatNumber, tableBundle, tableText, tableView } from "../../../lib/display/table";

test("every cell and header is HTML-escaped, and no script or style gets in", () => {
  const { "text/html": html } = tableBundle([{ "<th>": "<b>bold</b>", note: "a & b", q: `"'` }], { caption: "<i>x</i> & y" });
  assert.match(html, /<th>&lt;th&gt;<\/th>/);
  assert.match(html, /<td>&lt;b&gt;bold&lt;\/b&gt;<\/td>/);
  assert.match(html, /<td>a &amp; b<\/td>/);
  assert.match(html, /<td>&quot;&#39;<\/td>/);
  assert.match(html, /<caption>&lt;i&gt;x&lt;\/i&gt; &amp; y<\/caption>/);
  assert.doesNotMatch(html, /<b>|<i>|<script|style=/);
  assert.equal(escapeHtml(`<&>"'`), "&lt;&amp;&gt;&quot;&#39;");
});

test("array-of-object rows: columns in order of first appearance, missing keys blank, aligned text", () => {
  const bundle = tableBundle([{ model: "ridge", mse: 0.125 }, { model: "lasso", mse: 12.5, note: "sparse" }]);
  assert.equal(
    bundle["text/plain"],
    ["model    mse  note", "-----  -----  ------", "ridge  0.125", "lasso   12.5  sparse"].join("\n"),
  );
  assert.match(bundle["text/html"], /<thead><tr><th>model<\/th><th>mse<\/th><th>note<\/th><\/tr><\/thead>/);
  assert.match(bundle["text/html"], /<tr><td>ridge<\/td><td>0.125<\/td><td><\/td><\/tr>/);
});

test("array-of-array rows take column names, and the count must match", () => {
  const view = tableView([[1, 0.5], [2, 0.25]], { columns: ["epoch", "loss"] });
  assert.deepEqual(view.columns, ["epoch", "loss"]);
  assert.deepEqual(view.head, [[1, 0.5], [2, 0.25]]);
  assert.deepEqual(tableView([[1, 2, 3]]).columns, ["0", "1", "2"]);
  assert.deepEqual(tableView([], { columns: ["a", "b"] }).columns, ["a", "b"], "an empty table keeps its header");
  assert.throws(() => tableView([[1, 2]], { columns: ["a"] }), /1 column names for rows of up to 2 values/);
  assert.throws(() => tableView([{ a: 1 }, [2]] as never), /row 1 is .*all objects or all arrays/);
  assert.throws(() => tableView(42 as never), /expected a danfo or polars DataFrame or an array of rows, got number 42/);
});

test("long tables keep the first and last rows around one ellipsis row", () => {
  const rows = Array.from({ length: 100 }, (_, i) => ({ i }));
  const view = tableView(rows, { maxRows: 5 });
  assert.deepEqual([...view.head, ...view.tail].flat(), [0, 1, 2, 98, 99]);
  const text = tableText(view);
  assert.deepEqual(text.split("\n"), [" i", "--", " 0", " 1", " 2", " …", "98", "99", "100 rows × 1 columns"]);
  const { "text/html": html } = tableBundle(rows, { maxRows: 4 });
  assert.equal(html.match(/<tr>/g)?.length, 1 + 4 + 1);
  assert.match(html, /<tr><td>…<\/td><\/tr>/);
  assert.match(html, /<p>100 rows × 1 columns<\/p>/);
  assert.throws(() => tableView(rows, { maxRows: 1 }), /maxRows must be an integer ≥ 2, got 1/);
});

test("numbers: integers exact, floats to significant digits, tiny ones in exponent form", () => {
  assert.equal(formatNumber(150), "150");
  assert.equal(formatNumber(5.843333333), "5.84333");
  assert.equal(formatNumber(1234.5678), "1234.57");
  assert.equal(formatNumber(123456789.123), "123456789");
  assert.equal(formatNumber(0.000012345678), "1.23457e-5");
  assert.equal(formatNumber(1e-5 + 1e-20), "1e-5");
  assert.equal(formatNumber(-0.5, 2), "-0.5");
  assert.equal(formatNumber(NaN), "NaN");
  assert.equal(formatNumber(-Infinity), "-Infinity");
  const { "text/plain": text } = tableBundle([{ v: null, w: true, d: new Date(0), o: { a: [1] }, s: "x".repeat(100) }]);
  assert.match(text, /null +true +1970-01-01T00:00:00.000Z +\{"a":\[1\]\} +x{59}…$/);
});

test("danfo DataFrame: values as rows, non-default index shown as row labels", () => {
  const df = new dfd.DataFrame({ a: [1, 2.5, 3], b: ["x", "<b>", "&"] });
  const plain = tableView(df);
  assert.equal(plain.index, null);
  assert.deepEqual(plain.head, [[1, "x"], [2.5, "<b>"], [3, "&"]]);
  const described = tableBundle(df.describe());
  assert.match(described["text/html"], /<tr><th>mean<\/th><td>2.16667<\/td><\/tr>/);
  assert.match(described["text/plain"], /^mean {6}2.16667$/m);
});

test("polars DataFrame: only the shown rows are materialised, nulls print as null", () => {
  const df = pl.DataFrame({ a: [1, 2.5, null], b: ["x", "<b>", "&"], c: [true, false, true] });
  const { "text/html": html, "text/plain": text } = tableBundle(df);
  assert.match(html, /<tr><td>2.5<\/td><td>&lt;b&gt;<\/td><td>false<\/td><\/tr>/);
  assert.match(text, /^null +& +true$/m);
  const long = pl.DataFrame({ i: Array.from({ length: 1000 }, (_, i) => i) });
  const view = tableView(long, { maxRows: 4 });
  assert.deepEqual([...view.head, ...view.tail].flat(), [0, 1, 998, 999]);
  assert.equal(view.totalRows, 1000);
});
