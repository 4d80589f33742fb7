import { test } from "node:test";
import * as assert from "node:assert/strict";
import { fitLogLinear, jacobianFrobeniusNorm } from "../../../lib/sequence/gradient-decay";

test("the finite-difference Jacobian norm equals the analytic one", () => {
  // f(x) = (x0², x0·x1, sin x1): J = [[2x0, 0], [x1, x0], [0, cos x1]]
  const f = (x: number[]) => [x[0]! ** 2, x[0]! * x[1]!, Math.sin(x[1]!)];
  const [a, b] = [0.7, -1.3];
  const exact = Math.sqrt((2 * a) ** 2 + b ** 2 + a ** 2 + Math.cos(b) ** 2);
  assert.ok(Math.abs(jacobianFrobeniusNorm(f, [a, b]) - exact) < 1e-8);
  // a linear map: the Frobenius norm of its matrix
  const M = [[1, 2], [3, 4], [5, 6]];
  const linear = (x: number[]) => M.map((row) => row[0]! * x[0]! + row[1]! * x[1]!);
  assert.ok(Math.abs(jacobianFrobeniusNorm(linear, [0, 0]) - Math.sqrt(91)) < 1e-8);
});

test("fitLogLinear recovers an exponential rate exactly and R² = 1 on a clean decay", () => {
  const x = [1, 2, 3, 4, 5, 6];
  const fit = fitLogLinear(x, x.map((t) => 3 * 0.8 ** t));
  assert.ok(Math.abs(fit.slope - Math.log(0.8)) < 1e-12);
  assert.ok(Math.abs(fit.intercept - Math.log(3)) < 1e-12);
  assert.ok(Math.abs(fit.rSquared - 1) < 1e-12);
  const wobbly = fitLogLinear(x, [1, 0.1, 1, 0.1, 1, 0.1]);
  assert.ok(wobbly.rSquared < 0.5, `${wobbly.rSquared}`);
});

test("bad input is refused", () => {
  assert.throws(() => fitLogLinear([1, 2, 3], [1, 0, 1]), /y\[1\] = 0/);
  assert.throws(() => fitLogLinear([1, 2], [1, 1]), /at least 3/);
  assert.throws(() => fitLogLinear([1, 1, 1], [1, 2, 3]), /all x values are equal/);
  assert.throws(() => jacobianFrobeniusNorm((x) => x, []), /empty/);
  assert.throws(() => jacobianFrobeniusNorm((x) => x, [1], { step: 0 }), /step/);
});
