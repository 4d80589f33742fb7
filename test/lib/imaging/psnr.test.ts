import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { meanPsnr, psnr } from "../../../lib/imaging/psnr";

test("PSNR closed forms: identical images give +∞, a constant error e gives 10·log₁₀(1/e²), MAX scales as 20·log₁₀ MAX", () => {
  const rng = new Random(4);
  const image = Array.from({ length: 64 }, () => rng.uniform(0.2, 0.8));
  assert.equal(psnr(image, image), Infinity);
  for (const e of [0.1, 0.01, 0.05]) {
    assert.ok(Math.abs(psnr(image.map((v) => v + e), image) - 10 * Math.log10(1 / (e * e))) < 1e-9);
    assert.ok(Math.abs(psnr(image.map((v, i) => v + (i % 2 === 0 ? e : -e)), image) - 10 * Math.log10(1 / (e * e))) < 1e-9, "the sign of the error does not matter");
  }
  assert.ok(Math.abs(psnr(image.map((v) => 255 * v + 2), image.map((v) => 255 * v), 255) - 10 * Math.log10((255 * 255) / 4)) < 1e-9);
  assert.ok(Math.abs(psnr(image.map((v) => v + 0.05), image) - psnr(image.map((v) => v + 0.1), image) - 20 * Math.log10(2)) < 1e-9, "halving the error adds 6.02 dB");
});

test("mean PSNR is the mean of per-image PSNRs", () => {
  const a = [0, 0, 0, 0, 0.5, 0.5];
  const b = [0.1, 0.1, 0.1, 0.1, 0.5, 0.6];
  const expected = (psnr([0, 0, 0], [0.1, 0.1, 0.1]) + psnr([0, 0.5, 0.5], [0.1, 0.5, 0.6])) / 2;
  assert.ok(Math.abs(meanPsnr(a, b, 2) - expected) < 1e-12);
});

test("bad input is refused", () => {
  assert.throws(() => psnr([1, 2], [1]), /2 vs 1 pixels/);
  assert.throws(() => psnr([], []), /empty/);
  assert.throws(() => psnr([1], [1], 0), /maxValue must be > 0/);
  assert.throws(() => psnr([NaN], [1]), /pixel 0 is NaN/);
  assert.throws(() => meanPsnr([1, 2, 3], [1, 2, 3], 2), /do not split into 2 images/);
});
