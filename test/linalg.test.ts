import { test } from "node:test";
import * as assert from "node:assert/strict";
import { matMul, matVec, solve, symmetricEigen, transpose } from "../lib/linalg";
import { gradientRelativeError, numericalGradient } from "../lib/gradcheck";
import { Random } from "../lib/random";

const close = (a: number, b: number, tol = 1e-10) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test("solve recovers x from A x = b for random well-conditioned systems (residual check)", () => {
  const rng = new Random(0);
  for (const n of [1, 2, 5, 12]) {
    const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => rng.normal() + (i === j ? n : 0)));
    const xTrue = rng.array(n, (r) => r.normal());
    const x = solve(a, matVec(a, xTrue));
    x.forEach((v, i) => close(v, xTrue[i]!, 1e-9));
  }
});

test("solve needs pivoting on a zero leading entry and rejects singular or mis-sized input", () => {
  assert.deepEqual(solve([[0, 1], [1, 0]], [2, 3]), [3, 2]);
  assert.throws(() => solve([[1, 2], [2, 4]], [1, 2]), /singular/);
  assert.throws(() => solve([[1, 2]], [1]), /square, got 1×2/);
  assert.throws(() => solve([[1, 0], [0, 1]], [1]), /b has 1 entries/);
});

test("symmetricEigen: closed form for 2×2, and A v = λ v with orthonormal V for random matrices", () => {
  // [[a, b], [b, c]] has eigenvalues (a + c)/2 ± sqrt(((a − c)/2)² + b²).
  const [a, b, c] = [3, 1.5, -2];
  const { values } = symmetricEigen([[a, b], [b, c]]);
  const mid = (a + c) / 2;
  const radius = Math.sqrt(((a - c) / 2) ** 2 + b * b);
  close(values[0]!, mid - radius);
  close(values[1]!, mid + radius);

  const rng = new Random(1);
  const m = Array.from({ length: 6 }, () => rng.array(6, (r) => r.normal()));
  const sym = matMul(m, transpose(m));
  const { values: lambdas, vectors } = symmetricEigen(sym);
  const vt = transpose(vectors);
  lambdas.forEach((lambda, k) => {
    const av = matVec(sym, vt[k]!);
    av.forEach((x, i) => close(x, lambda * vt[k]![i]!, 1e-9));
  });
  matMul(vt, vectors).forEach((row, i) => row.forEach((x, j) => close(x, i === j ? 1 : 0, 1e-12)));
  assert.ok(lambdas.every((l, i) => i === 0 || l >= lambdas[i - 1]!), "ascending");
  assert.throws(() => symmetricEigen([[1, 2], [0, 1]]), /not symmetric/);
});

test("numericalGradient matches the analytic gradient of a known function", () => {
  // f(x, y) = sin(x)·y² + exp(x·y): ∂f/∂x = cos(x)·y² + y·exp(xy), ∂f/∂y = 2y·sin(x) + x·exp(xy)
  const f = ([x, y]: number[]) => Math.sin(x!) * y! ** 2 + Math.exp(x! * y!);
  const [x, y] = [0.3, -1.2];
  const exact = [Math.cos(x) * y * y + y * Math.exp(x * y), 2 * y * Math.sin(x) + x * Math.exp(x * y)];
  const numeric = numericalGradient(f, [x, y]);
  assert.ok(gradientRelativeError(exact, numeric) < 1e-9);
  // A wrong gradient (sign error in one term) is caught.
  assert.ok(gradientRelativeError([exact[0]!, -exact[1]!], numeric) > 0.1);
  assert.throws(() => numericalGradient(f, [x, y], 0), /epsilon must be > 0/);
  assert.throws(() => numericalGradient(() => NaN, [1]), /not finite around parameter 0/);
});
