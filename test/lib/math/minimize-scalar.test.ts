import { test } from "node:test";
import * as assert from "node:assert/strict";
import { minimizeScalar } from "../../../lib/math/minimize-scalar";
import { Random } from "../../../lib/random";

// Near a smooth minimum f changes by f″δ²/2, which falls below f's round-off once δ < √ε·|x| ≈ 1e-8·|x|:
// no value-only method can place the minimiser closer, whatever tol asks for.
test("smooth convex functions: the closed-form minimiser within round-off (√ε scale)", () => {
  const rng = new Random(3);
  for (let k = 0; k < 200; k++) {
    const [a, c] = [rng.uniform(0.1, 10), rng.uniform(-5, 5)];
    const { x } = minimizeScalar((t) => a * (t - c) ** 2 + 1, -10, 10, { tol: 1e-9 });
    assert.ok(Math.abs(x - c) < 2e-7, `${x} vs ${c}`);
  }
  const { x } = minimizeScalar(Math.cosh, -3, 7);
  assert.ok(Math.abs(x) < 2e-7);
});

test("a kink: ½(w − v)² + t|w| is minimised at the soft-threshold sign(v)·max(|v| − t, 0), exact zeros included", () => {
  const rng = new Random(4);
  for (let k = 0; k < 300; k++) {
    const [v, t] = [rng.uniform(-4, 4), rng.uniform(0, 2)];
    const soft = Math.sign(v) * Math.max(Math.abs(v) - t, 0);
    const { x } = minimizeScalar((w) => 0.5 * (w - v) ** 2 + t * Math.abs(w), -10, 10, { tol: 1e-11 });
    assert.ok(Math.abs(x - soft) < (soft === 0 ? 1e-10 : 2e-7), `v ${v}, t ${t}: ${x} vs ${soft}`);
  }
});

test("a minimum at an end of the interval is returned exactly", () => {
  assert.equal(minimizeScalar((x) => x, 2, 5).x, 2);
  assert.equal(minimizeScalar((x) => -x, 2, 5).x, 5);
});

test("bad arguments are named", () => {
  assert.throws(() => minimizeScalar((x) => x, 1, 1), /minimizeScalar: need finite lower < upper, got \[1, 1\]/);
  assert.throws(() => minimizeScalar((x) => x, 0, Infinity), /need finite lower < upper/);
  assert.throws(() => minimizeScalar((x) => x, 0, 1, { tol: 0 }), /tol must be > 0, got 0/);
  assert.throws(() => minimizeScalar(() => NaN, 0, 1), /minimizeScalar: f\(.*\) is NaN/);
  assert.throws(() => minimizeScalar(3 as unknown as (x: number) => number, 0, 1), /f must be a function, got number/);
});
