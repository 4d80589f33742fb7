import { test } from "node:test";
import * as assert from "node:assert/strict";
import { modeCoverage, ringCenters, sampleGaussian1d, sampleRing } from "../../../lib/generative/toy-data";
import { SPEAKER_A, SPEAKER_B, randomUtterances, renderVoice, voicePairs } from "../../../lib/generative/voices";

test("1-D Gaussian: seeded, with the requested mean and std (within 4 standard errors)", () => {
  const x = sampleGaussian1d(20_000, { mean: 4, std: 1.25, seed: 1 });
  assert.deepEqual(x.slice(0, 3), sampleGaussian1d(3, { mean: 4, std: 1.25, seed: 1 }));
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const std = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / (x.length - 1));
  assert.ok(Math.abs(mean - 4) < 4 * 1.25 / Math.sqrt(x.length), `mean ${mean}`);
  assert.ok(Math.abs(std - 1.25) < 4 * 1.25 / Math.sqrt(2 * x.length), `std ${std}`);
  assert.throws(() => sampleGaussian1d(5, { mean: 0, std: 0, seed: 1 }), /std/);
});

test("ring: 8 centres at radius 2; samples near their own mode; coverage counts modes and near samples", () => {
  const centers = ringCenters();
  assert.equal(centers.length, 8);
  assert.ok(centers.every(([x, y]) => Math.abs(Math.hypot(x!, y!) - 2) < 1e-12));
  assert.ok(Math.abs(centers[2]![0]!) < 1e-12 && Math.abs(centers[2]![1]! - 2) < 1e-12);
  const { points, modes } = sampleRing(4000, { seed: 2 });
  const coverage = modeCoverage(points, centers, { std: 0.05 });
  assert.equal(coverage.covered, 8);
  assert.ok(coverage.nearShare > 0.98, `3σ holds 98.9 % of a 2-D Gaussian: ${coverage.nearShare}`);
  assert.ok(points.every((p, i) => Math.hypot(p[0]! - centers[modes[i]!]![0]!, p[1]! - centers[modes[i]!]![1]!) < 0.3));
  // A collapsed sample: everything on two modes.
  const collapsed = points.map((_, i) => centers[i % 2]!);
  const two = modeCoverage(collapsed, centers, { std: 0.05 });
  assert.equal(two.covered, 2);
  assert.deepEqual(two.shares.slice(0, 3), [0.5, 0.5, 0]);
  assert.equal(modeCoverage([[0, 0]], centers, { std: 0.05 }).nearShare, 0);
  assert.throws(() => modeCoverage([[0, 0, 0]], centers, { std: 0.05 }), /points\[0\] has 3/);
});

test("voices: same utterance in two timbres; a pure tone by hand; Nyquist guarded", () => {
  const tone = renderVoice({ f0Start: 0.1, f0End: 0.1, phase: 0.3, gain: 2 }, [1], 5);
  tone.forEach((v, n) => assert.ok(Math.abs(v - 2 * Math.sin(0.3 + 2 * Math.PI * 0.1 * n)) < 1e-12));
  const { source, target } = voicePairs(3, { length: 64, seed: 4 });
  const u = randomUtterances(3, 4);
  assert.deepEqual(source[1], renderVoice(u[1]!, SPEAKER_A, 64));
  assert.deepEqual(target[1], renderVoice(u[1]!, SPEAKER_B, 64));
  assert.ok(u.every((x) => x.f0Start >= 1 / 32 && x.f0Start <= 1 / 12 && x.gain >= 0.6 && x.gain <= 1));
  assert.throws(() => renderVoice({ f0Start: 0.2, f0End: 0.2, phase: 0, gain: 1 }, [1, 1, 1], 8), /Nyquist/);
});
