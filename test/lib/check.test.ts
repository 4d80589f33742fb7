import { test } from "node:test";
import * as assert from "node:assert/strict";
import { check, checkAllClose, checkClose, CheckError, flatten, isClose, setCheckReporter } from "../../lib/check";

function captured(fn: () => void): string[] {
  const lines: string[] = [];
  const restore = setCheckReporter((line) => lines.push(line));
  try {
    fn();
  } finally {
    restore();
  }
  return lines;
}

test("a passing check prints one ✓ line with the claim", () => {
  const lines = captured(() => check("two plus two is four", 2 + 2 === 4));
  assert.deepEqual(lines, ["✓ two plus two is four"]);
});

test("a failing check throws CheckError naming the claim and the values", () => {
  assert.throws(
    () => check("loss went down", false, { before: 1.5, after: 2 }),
    (e: unknown) => e instanceof CheckError && /check failed: loss went down/.test(e.message) && /before = 1.5, after = 2/.test(e.message),
  );
  assert.throws(() => check("not a boolean", 1 as unknown as boolean), /must be a boolean, got 1/);
});

test("isClose: absolute, relative, NaN and infinities", () => {
  assert.ok(isClose(1 + 1e-12, 1));
  assert.ok(!isClose(1.001, 1));
  assert.ok(isClose(1.001, 1, { rel: 1e-2 }));
  assert.ok(isClose(1e-9, 0, { abs: 1e-8 }));
  assert.ok(!isClose(1e-9, 0, { rel: 0.5 }));
  assert.ok(!isClose(NaN, NaN, { abs: 1 }));
  assert.ok(isClose(Infinity, Infinity));
  assert.ok(!isClose(Infinity, 1e308, { rel: 1 }));
  assert.throws(() => isClose(1, 1, { abs: -1 }), /non-negative/);
});

test("checkClose reports the difference and throws outside the tolerance", () => {
  const lines = captured(() => checkClose("pi to 3 decimals", 3.1416, Math.PI, { abs: 1e-3 }));
  assert.match(lines[0]!, /^✓ pi to 3 decimals \(\|diff\| 7.3\de-6, tolerance abs 0.001\)$/);
  assert.throws(() => checkClose("pi to 6 decimals", 3.1416, Math.PI, { abs: 1e-6 }), /actual 3.1416, expected 3.14159/);
});

test("checkAllClose compares nested arrays, typed arrays and tensor-likes; names the worst element", () => {
  const tensorLike = { shape: [2, 2], dataSync: () => new Float32Array([1, 2, 3, 4]) };
  captured(() => checkAllClose("tensor equals nested array", tensorLike, [[1, 2], [3, 4]]));
  assert.throws(
    () => checkAllClose("nearly equal", [[1, 2], [3, 4.5]], [[1, 2], [3, 4]], { abs: 0.1 }),
    /1 of 4 elements differ; worst at \[1,1\]: actual 4.5, expected 4/,
  );
  assert.throws(() => checkAllClose("shapes", [1, 2, 3], [[1, 2, 3]]), /shape mismatch: actual \[3\] vs expected \[1,3\]/);
  assert.throws(() => checkAllClose("nan", [NaN], [1], { abs: 1 }), /worst at \[0\]/);
});

test("flatten rejects ragged arrays with their position", () => {
  assert.deepEqual(flatten([[1, 2], [3, 4]]), { values: [1, 2, 3, 4], shape: [2, 2] });
  assert.throws(() => flatten([[1, 2], [3]]), /ragged: value\[0\] has shape \[2\] but value\[1\] has \[1\]/);
  assert.throws(() => flatten([[1], "x"] as unknown as number[][]), /value\[1\] is "x"/);
});
