import { test } from "node:test";
import * as assert from "node:assert/strict";
import { TFJS_BACKENDS } from "../../scripts/runner/backends";
import { BACKEND_PREFERENCE } from "../../lib/tf-backends";

test("the runner's --backend names are exactly the backends setupTf() knows", () => {
  assert.deepEqual([...TFJS_BACKENDS].sort(), [...BACKEND_PREFERENCE].sort());
});
