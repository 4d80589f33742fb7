import { test } from "node:test";
import * as assert from "node:assert/strict";
import { zeroMemoryBytes } from "../../../lib/nn/parallelism";

test("ZeRO paper, Figure 1: Ψ = 7.5 B, N = 64, K = 12 gives 120, 31.4, 16.6 and 1.88 GB", () => {
  const gb = (stage: 0 | 1 | 2 | 3) => zeroMemoryBytes(7.5e9, 64, stage) / 1e9;
  assert.equal(gb(0), 120);
  assert.ok(Math.abs(gb(1) - 31.4) < 0.05);
  assert.ok(Math.abs(gb(2) - 16.6) < 0.05);
  assert.ok(Math.abs(gb(3) - 1.875) < 1e-9);
});

test("one device: every stage is 16 bytes per parameter; bad input is refused", () => {
  for (const stage of [0, 1, 2, 3] as const) assert.equal(zeroMemoryBytes(1000, 1, stage), 16000);
  assert.throws(() => zeroMemoryBytes(1000, 0, 1), /devices must be an integer ≥ 1, got 0/);
  assert.throws(() => zeroMemoryBytes(-1, 2, 1), /parameters must be positive/);
});
