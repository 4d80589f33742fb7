import { test } from "node:test";
import * as assert from "node:assert/strict";
import { FLOAT16_MAX, FLOAT16_MIN_NORMAL, FLOAT16_MIN_SUBNORMAL, roundToFloat16 } from "../../../lib/nn/precision";

test("the float16 range: 65504 is the largest, 2^−14 the smallest normal, 2^−24 the smallest subnormal", () => {
  assert.equal(roundToFloat16(FLOAT16_MAX), 65504);
  assert.equal(roundToFloat16(65519), 65504);
  assert.equal(roundToFloat16(65520), Infinity); // the tie rounds to even, 2^16, which overflows
  assert.equal(roundToFloat16(-1e5), -Infinity);
  assert.equal(roundToFloat16(FLOAT16_MIN_NORMAL), FLOAT16_MIN_NORMAL);
  assert.equal(roundToFloat16(FLOAT16_MIN_SUBNORMAL), FLOAT16_MIN_SUBNORMAL);
  assert.equal(roundToFloat16(3 * FLOAT16_MIN_SUBNORMAL), 3 * FLOAT16_MIN_SUBNORMAL);
  assert.equal(roundToFloat16(0.49 * FLOAT16_MIN_SUBNORMAL), 0);
  assert.equal(roundToFloat16(1e-8), 0);
});

test("10 mantissa bits, ties to even", () => {
  assert.equal(roundToFloat16(1 + 2 ** -10), 1 + 2 ** -10);
  assert.equal(roundToFloat16(1 + 2 ** -11), 1);
  assert.equal(roundToFloat16(1 + 3 * 2 ** -11), 1 + 2 * 2 ** -10);
  assert.equal(roundToFloat16(2048 + 1), 2048);
  assert.equal(roundToFloat16(0.1), 0.0999755859375);
});

test("agrees with bit-level float16 decoding on every positive finite float16", () => {
  for (let bits = 1; bits < 0x7c00; bits++) {
    const exponent = bits >> 10, mantissa = bits & 0x3ff;
    const value = exponent === 0 ? mantissa * 2 ** -24 : (1 + mantissa / 1024) * 2 ** (exponent - 15);
    assert.equal(roundToFloat16(value), value);
    assert.equal(roundToFloat16(-value), -value);
  }
});
