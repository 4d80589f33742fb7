import { test } from "node:test";
import * as assert from "node:assert/strict";
import { dataPath } from "../lib/data";

// The dependency traps of this stack, each of which once made `npm ci` "succeed" with a broken package.

test("nodejs-polars loads on this Node (0.25+ ship binaries for Node 22 only, which npm skips silently)", () => {
  const pl = require("nodejs-polars") as typeof import("nodejs-polars");
  const df = pl.DataFrame({ x: [1, 2, 3], y: [2, 4, 6] });
  assert.deepEqual(df.select(pl.col("y").sum()).toRecords(), [{ y: 12 }]);
});

test("danfojs-node installs through the tfjs-node shim and shares our TensorFlow.js instance", async () => {
  const dfd = require("danfojs-node") as typeof import("danfojs-node");
  const tf = require("@tensorflow/tfjs") as typeof import("@tensorflow/tfjs");
  assert.equal(require("@tensorflow/tfjs-node"), tf, "the shim re-exports @tensorflow/tfjs");
  // iris.csv's first line is scikit-learn's "150,4,setosa,…", which danfo takes as column names.
  const df = await dfd.readCSV(dataPath("iris.csv"));
  assert.deepEqual(df.shape, [150, 5]);
  const tensor = (df as unknown as { tensor: import("@tensorflow/tfjs").Tensor }).tensor;
  assert.ok(tensor instanceof tf.Tensor, "danfo's tensors come from the same tfjs");
});

test("the optional native TensorFlow package is either absent or a working backend", () => {
  let native: unknown = null;
  try {
    native = require("tfjs-node-native");
  } catch (e) {
    assert.match(String((e as Error).message), /Cannot find module 'tfjs-node-native'/);
  }
  if (native !== null) {
    const tf = require("@tensorflow/tfjs") as typeof import("@tensorflow/tfjs");
    assert.ok(tf.findBackendFactory("tensorflow") !== null);
  }
});
