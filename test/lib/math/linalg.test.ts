import { test } from "node:test";
import * as assert from "node:assert/strict";
import { leastSquares, matMul, matVec, orthonormalColumns, solve, svd, symmetricEigen, transpose } from "../../../lib/math/linalg";
import { gradientRelativeError, numericalGradient } from "../../../lib/math/gradcheck";
import { Random } from "../../../lib/random";

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

test("svd: U·diag(s)·Vᵀ = A, orthonormal U and V, s² = eigenvalues of AᵀA, for tall, wide and square A", () => {
  const rng = new Random(2);
  for (const [rows, cols] of [[7, 4], [3, 6], [5, 5], [1, 3]] as const) {
    const a = Array.from({ length: rows }, () => rng.array(cols, (r) => r.normal()));
    const { u, s, v } = svd(a);
    const r = Math.min(rows, cols);
    assert.equal(s.length, r);
    assert.ok(s.every((x, i) => x >= 0 && (i === 0 || x <= s[i - 1]!)), "descending, non-negative");
    const rebuilt = matMul(matMul(u, s.map((x, i) => s.map((_, j) => (i === j ? x : 0)))), transpose(v));
    rebuilt.forEach((row, i) => row.forEach((x, j) => close(x, a[i]![j]!, 1e-12)));
    for (const m of [u, v]) matMul(transpose(m), m).forEach((row, i) => row.forEach((x, j) => close(x, i === j ? 1 : 0, 1e-12)));
    const small = rows >= cols ? matMul(transpose(a), a) : matMul(a, transpose(a));
    const eigen = symmetricEigen(small).values.reverse();
    s.forEach((x, i) => close(x * x, eigen[i]!, 1e-10));
  }
});

test("leastSquares: normal equations for full rank, the minimum-norm solution otherwise", () => {
  const rng = new Random(3);
  const a = Array.from({ length: 10 }, () => rng.array(3, (r) => r.normal()));
  const b = rng.array(10, (r) => r.normal());
  const x = leastSquares(a, b);
  const normal = solve(matMul(transpose(a), a), matVec(transpose(a), b));
  x.forEach((v, i) => close(v, normal[i]!, 1e-12));

  // A duplicated column: every split w₁ + w₂ = c fits equally well; the minimum-norm one splits evenly.
  const column = rng.array(8, (r) => r.normal());
  const duplicated = column.map((c) => [c, c]);
  const [w1, w2] = leastSquares(duplicated, column.map((c) => 3 * c));
  close(w1!, 1.5, 1e-12);
  close(w2!, 1.5, 1e-12);

  // Underdetermined: an exact fit, and x = Aᵀ(AAᵀ)⁻¹b lies in the row space.
  const wide = Array.from({ length: 2 }, () => rng.array(5, (r) => r.normal()));
  const target = [1, -2];
  const minimumNorm = matVec(transpose(wide), solve(matMul(wide, transpose(wide)), target));
  leastSquares(wide, target).forEach((v, i) => close(v, minimumNorm[i]!, 1e-12));
  assert.throws(() => leastSquares(wide, [1]), /A is 2×5 but b has 1 entries/);
});

test("orthonormalColumns: Qᵀ·Q = I, the same column spans, dependent columns zeroed", () => {
  const rng = new Random(11);
  const a = Array.from({ length: 50 }, () => Array.from({ length: 6 }, () => rng.normal()));
  a.forEach((row) => { row[4] = row[0]! + 1e-7 * rng.normal(); row[5] = 2 * row[2]! - row[3]!; }); // nearly and exactly dependent
  const q = orthonormalColumns(a);
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) {
    const inner = q.reduce((s, row) => s + row[i]! * row[j]!, 0);
    const expected = i === j && i !== 5 ? 1 : 0;
    assert.ok(Math.abs(inner - expected) < 1e-9, `(${i}, ${j}): ${inner}`);
  }
  // Column j of A lies in the span of Q's first j + 1 columns: the residual after projecting is round-off.
  for (let j = 0; j < 6; j++) {
    const residual = a.map((row) => row[j]!);
    for (let k = 0; k <= j; k++) {
      const p = q.reduce((s, row, i) => s + row[k]! * residual[i]!, 0);
      q.forEach((row, i) => (residual[i] = residual[i]! - p * row[k]!));
    }
    assert.ok(Math.hypot(...residual) < 1e-9, `column ${j}`);
  }
});

test("symmetricEigen accepts a 400 × 400 matrix (the asymmetry check once spread n² arguments and overflowed the stack)", () => {
  // Diagonal, so that Jacobi stops at once: the point is the input checks, which run on every matrix.
  const a = Array.from({ length: 400 }, (_, i) => Array.from({ length: 400 }, (_, j) => (i === j ? 400 - i : 0)));
  const { values } = symmetricEigen(a);
  assert.deepEqual(values, Array.from({ length: 400 }, (_, i) => i + 1));
  a[3]![7] = 1;
  assert.throws(() => symmetricEigen(a), /not symmetric \(max \|A - Aᵀ\| = 1\)/);
});
