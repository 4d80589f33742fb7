import { test } from "node:test";
import * as assert from "node:assert/strict";
import { roundSignificant, thinIndices } from "../../../lib/display/thin";

test("short arrays keep every index", () => {
  assert.deepEqual(thinIndices(5, 10), [0, 1, 2, 3, 4]);
  assert.deepEqual(thinIndices(0, 10), []);
});

test("linear thinning: first and last kept, increasing, at most maxPoints, gaps even within one", () => {
  for (const [length, maxPoints] of [[2001, 200], [1001, 7], [12345, 300], [101, 100]] as const) {
    const kept = thinIndices(length, maxPoints);
    assert.equal(kept[0], 0);
    assert.equal(kept.at(-1), length - 1);
    assert.ok(kept.length <= maxPoints && kept.length >= maxPoints - 1, `${kept.length} of ${maxPoints}`);
    const gaps = kept.slice(1).map((v, i) => v - kept[i]!);
    assert.ok(gaps.every((g) => g > 0));
    assert.ok(Math.max(...gaps) - Math.min(...gaps) <= 1, `gaps ${Math.min(...gaps)}…${Math.max(...gaps)}`);
  }
});

test("log thinning keeps every early step and spreads the rest evenly in log(1 + i)", () => {
  const kept = thinIndices(2001, 200, { spacing: "log" });
  assert.equal(kept[0], 0);
  assert.equal(kept.at(-1), 2000);
  assert.ok(kept.length <= 200);
  assert.deepEqual(kept.slice(0, 10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // In the tail (rounding no longer merges points) consecutive ratios (1 + i) are close to the design ratio.
  const ratio = Math.exp(Math.log(2001) / 199);
  const tail = kept.filter((i) => i > 500);
  tail.slice(1).forEach((v, k) => assert.ok(Math.abs((1 + v) / (1 + tail[k]!) / ratio - 1) < 0.01, `${tail[k]} → ${v}`));
});

test("roundSignificant keeps the requested significant digits and leaves 0, ±∞ and NaN alone", () => {
  assert.deepEqual(roundSignificant([Math.PI, -123456.789, 1.23456e-9, 0, Infinity, -Infinity], 4), [3.142, -123500, 1.235e-9, 0, Infinity, -Infinity]);
  assert.ok(Number.isNaN(roundSignificant([NaN])[0]));
  const values = Array.from({ length: 1000 }, (_, i) => Math.exp(Math.sin(i) * 20));
  roundSignificant(values, 5).forEach((r, i) => assert.ok(Math.abs(r / values[i]! - 1) <= 5e-5));
});

test("bad arguments are named", () => {
  assert.throws(() => thinIndices(-1, 10), /thinIndices: length must be an integer ≥ 0, got -1/);
  assert.throws(() => thinIndices(10, 1), /thinIndices: maxPoints must be an integer ≥ 2, got 1/);
  assert.throws(() => thinIndices(10, 5, { spacing: "cubic" as "log" }), /spacing must be "linear" or "log", got cubic/);
  assert.throws(() => roundSignificant([1], 0), /roundSignificant: digits must be an integer in 1…15, got 0/);
});
