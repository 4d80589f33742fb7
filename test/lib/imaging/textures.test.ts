import { test } from "node:test";
import * as assert from "node:assert/strict";
import { makeTexture, TEXTURE_KINDS } from "../../../lib/imaging/textures";

test("textures are seeded, in [0, 1], and not constant", () => {
  for (const kind of TEXTURE_KINDS) {
    const [a, b] = [makeTexture(kind, { seed: 5 }), makeTexture(kind, { seed: 5 })];
    assert.deepEqual(a, b, kind);
    assert.ok(a.every((v) => v >= 0 && v <= 1), kind);
    assert.ok(Math.max(...a) - Math.min(...a) > 0.5, `${kind} has contrast`);
    assert.notDeepEqual(makeTexture(kind, { seed: 6 }), a, `${kind}: another seed, another texture`);
  }
});

test("vertical stripes repeat every period along x and are constant along y; checks alternate per cell", () => {
  const size = 32;
  const stripes = makeTexture("stripes", { seed: 1, period: 8, angle: 0 });
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x + 8 < size; x += 1) assert.ok(Math.abs(stripes[y * size + x]! - stripes[y * size + x + 8]!) < 1e-5);
    assert.ok(Math.abs(stripes[y * size + 3]! - stripes[3]!) < 1e-6);
  }
  const checks = makeTexture("checks", { seed: 1, period: 4 });
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x + 4 < size; x += 1) assert.equal(checks[y * size + x]! + checks[y * size + x + 4]!, 1, "a cell further along x flips");
  }
});

test("bad options are refused", () => {
  assert.throws(() => makeTexture("stripes", { seed: 1, size: 2 }), /size must be an integer ≥ 4/);
  assert.throws(() => makeTexture("dots", { seed: 1, period: 1 }), /period must be ≥ 2/);
  assert.throws(() => makeTexture("waves" as never, { seed: 1 }), /kind must be one of stripes, checks, dots/);
});
