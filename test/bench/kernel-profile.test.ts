import { test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../lib/tf";
import { summariseKernels, type KernelRecord } from "../../scripts/bench/kernel-profile";

const isKernel = (name: string) => !name.endsWith("__op");

test("summariseKernels totals calls and time per kernel name, longest first, ties by name", () => {
  const records: KernelRecord[] = [
    { name: "Add", kernelTimeMs: 1 },
    { name: "MatMul", kernelTimeMs: 4 },
    { name: "Add", kernelTimeMs: 2 },
    { name: "Relu", kernelTimeMs: 3 },
    { name: "Cast", kernelTimeMs: 3 },
  ];
  const s = summariseKernels(records, isKernel);
  assert.deepEqual(s.kernels, [
    { name: "MatMul", count: 1, totalMs: 4 },
    { name: "Add", count: 2, totalMs: 3 },
    { name: "Cast", count: 1, totalMs: 3 },
    { name: "Relu", count: 1, totalMs: 3 },
  ]);
  assert.equal(s.calls, 5);
  assert.equal(s.kernelMs, 13);
  assert.deepEqual(s.scopes, []);
  assert.equal(s.untimed, 0);
});

test("custom-gradient scopes are listed apart and kept out of the kernel total (their time contains their kernels')", () => {
  const records: KernelRecord[] = [
    { name: "Exp", kernelTimeMs: 2 },
    { name: "Sum", kernelTimeMs: 1 },
    { name: "softmaxCrossEntropy__op", kernelTimeMs: 3.5 },
  ];
  const s = summariseKernels(records, isKernel);
  assert.equal(s.kernelMs, 3);
  assert.equal(s.calls, 2);
  assert.deepEqual(s.scopes, [{ name: "softmaxCrossEntropy__op", count: 1, totalMs: 3.5 }]);
});

test("calls the backend could not time are counted but add no time", () => {
  const s = summariseKernels([{ name: "Add", kernelTimeMs: { error: "no timer" } }, { name: "Add", kernelTimeMs: Number.NaN }, { name: "Add", kernelTimeMs: 2 }], isKernel);
  assert.deepEqual(s.kernels, [{ name: "Add", count: 3, totalMs: 2 }]);
  assert.equal(s.untimed, 2);
});

test("records of several identical steps give per-step means", () => {
  const step: KernelRecord[] = [{ name: "Add", kernelTimeMs: 1 }, { name: "Mul", kernelTimeMs: 2 }, { name: "fused__op", kernelTimeMs: 5 }];
  const s = summariseKernels([...step, ...step, ...step.map((r) => ({ ...r, kernelTimeMs: (r.kernelTimeMs as number) * 2 }))], isKernel, 3);
  assert.deepEqual(s.kernels, [{ name: "Mul", count: 1, totalMs: 8 / 3 }, { name: "Add", count: 1, totalMs: 4 / 3 }]);
  assert.equal(s.calls, 2);
  assert.ok(Math.abs(s.kernelMs - 4) < 1e-12);
  assert.deepEqual(s.scopes, [{ name: "fused__op", count: 1, totalMs: 20 / 3 }]);
  assert.throws(() => summariseKernels(step, isKernel, 0), /steps must be an integer ≥ 1, got 0/);
});

test("a detail (input shapes) splits a kernel name into one row per detail; the totals stay those of the name", () => {
  const records: KernelRecord[] = [
    { name: "BatchMatMul", detail: "[8,4]×[4,4]", kernelTimeMs: 1 },
    { name: "BatchMatMul", detail: "[2,8,8]×[2,8,4]", kernelTimeMs: 5 },
    { name: "BatchMatMul", detail: "[8,4]×[4,4]", kernelTimeMs: 2 },
    { name: "Add", kernelTimeMs: 3 },
  ];
  const s = summariseKernels(records, isKernel);
  assert.deepEqual(s.kernels, [
    { name: "BatchMatMul", detail: "[2,8,8]×[2,8,4]", count: 1, totalMs: 5 },
    { name: "Add", count: 1, totalMs: 3 },
    { name: "BatchMatMul", detail: "[8,4]×[4,4]", count: 2, totalMs: 3 },
  ]);
  assert.equal(s.calls, 4);
  assert.equal(s.kernelMs, 11);
});

test("on a real tf.profile, tfjs's custom-gradient loss is recorded as a scope and the kernels sum to at most the wall time", async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
  const labels = tf.oneHot(tf.tensor1d([0, 2, 1], "int32"), 3);
  const logits = tf.variable(tf.randomNormal([3, 3], 0, 1, "float32", 0));
  let wallMs = 0;
  const info = await tf.profile(() => {
    const t0 = performance.now();
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar);
    tf.dispose([value, grads]);
    wallMs = performance.now() - t0;
  });
  const records = info.kernels.map((k) => ({ name: k.name, kernelTimeMs: k.kernelTimeMs as number }));
  const s = summariseKernels(records, (name) => tf.getKernel(name, tf.getBackend()) !== undefined);
  assert.ok(s.scopes.some((c) => /softmaxCrossEntropy/.test(c.name)), `scopes: ${s.scopes.map((c) => c.name)}`);
  assert.ok(s.kernels.some((k) => k.name === "Exp") && s.kernels.every((k) => !/__op$/.test(k.name)), `kernels: ${s.kernels.map((k) => k.name)}`);
  assert.equal(s.calls + s.scopes.reduce((n, c) => n + c.count, 0), info.kernels.length);
  assert.ok(s.kernelMs <= wallMs, `kernels ${s.kernelMs} ms > wall ${wallMs} ms: a nested call was counted twice`);
  tf.dispose([labels, logits]);
});
