import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { NOTEBOOKS_DIR } from "../helpers/paths";
import { KERNEL_NAME } from "../../scripts/runner/kernelspec";

// What readers on GitHub and nbconvert see comes from the stored outputs: check their shape statically.
const dir = NOTEBOOKS_DIR;
const notebooks = fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f));

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
}
interface Cell {
  cell_type: string;
  execution_count?: number | null;
  metadata: { tags?: string[] };
  outputs?: Output[];
}

test("there are built notebooks", () => assert.ok(notebooks.length > 0));

for (const file of notebooks) {
  test(`${file}: the project's kernelspec, every code cell executed, no error output`, () => {
    const nb = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { metadata: { kernelspec?: { name?: string } }; cells: Cell[] };
    assert.equal(nb.metadata.kernelspec?.name, KERNEL_NAME, "opens on the kernel `npm run kernel` registers (rebuild with npm run notebooks)");
    const code = nb.cells.filter((c) => c.cell_type === "code" && !(c.metadata.tags ?? []).includes("skip-execution"));
    code.forEach((c, i) => assert.equal(c.execution_count, i + 1, `code cell ${i + 1} was not executed in order`));
    const errors = code.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "error"));
    assert.equal(errors.length, 0);
  });

  test(`${file}: every chart is plotly JSON + PNG + text, never text/html`, () => {
    const nb = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { cells: Cell[] };
    const charts = nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.["application/vnd.plotly.v1+json"] !== undefined);
    for (const chart of charts) {
      assert.deepEqual(Object.keys(chart.data!).sort(), ["application/vnd.plotly.v1+json", "image/png", "text/plain"]);
      const png = Buffer.from(String(chart.data!["image/png"]), "base64");
      assert.equal(png.subarray(1, 4).toString("latin1"), "PNG", "the image is a PNG");
      assert.equal(typeof chart.data!["application/vnd.plotly.v1+json"], "object", "plotly JSON is stored as an object");
    }
  });
}
