/**
 * Whole-sequence recurrent kernels for the wasm backend (issue 18): one kernel runs an LSTM, GRU or SimpleRNN over
 * every timestep, and one kernel computes all its gradients.
 *
 * tfjs-layers runs a recurrent layer as a JavaScript loop over timesteps, ≈ 190 tiny kernels per step through the
 * engine and the gradient tape (5,700 kernels per training step of an LSTM(64) over 30 steps). Here the input
 * projection x·W + b is one XNNPACK product for all timesteps, each step makes one product h·U (two for a GRU)
 * through the native kernel directly, and the gates are computed in JavaScript on the wasm heap. The backward kernel
 * walks the steps in reverse the same way, then forms the weight gradients as three large products over all steps.
 *
 * Semantics are those of tfjs-layers (lib/tfjs-wasm/recurrent-layers.ts routes the layers here): Keras gate order
 * (LSTM i, f, c, o; GRU z, r, h with the reset gate applied before the recurrent product, h = z·h₋₁ + (1 − z)·ĥ),
 * masked steps carry the previous output and states, `goBackwards` processes time in reverse and returns outputs
 * in processing order. Outputs are in float32 like the cpu backend's; the arithmetic inside a step is in double.
 */
import * as tf from "@tensorflow/tfjs";
import { batchMatMul } from "./matmul";
import { sumLeading } from "./reduce";
import { Backend, Info, KernelScope, NATIVE_WASM } from "./scope";

export const LSTM_SEQUENCE = "LstmSequence";
export const GRU_SEQUENCE = "GruSequence";
export const SIMPLE_RNN_SEQUENCE = "SimpleRnnSequence";
export type RecurrentKind = "lstm" | "gru" | "simple";
export const KERNEL_OF: Readonly<Record<RecurrentKind, string>> = { lstm: LSTM_SEQUENCE, gru: GRU_SEQUENCE, simple: SIMPLE_RNN_SEQUENCE };
/** The gate activations the kernels implement (tfjs's default for LSTM and GRU is hardSigmoid). */
export type GateActivation = "sigmoid" | "hardSigmoid";

export interface RecurrentAttrs {
  goBackwards: boolean;
  recurrentActivation: GateActivation;
  hasBias: boolean;
  hasMask: boolean;
}

/** Gate units per hidden unit: the width of W and U is gatesOf(kind) · H. */
export function gatesOf(kind: RecurrentKind): number {
  return kind === "lstm" ? 4 : kind === "gru" ? 3 : 1;
}

interface WasmBackend extends Backend {
  typedArrayFromHeap(t: Info): Float32Array | Int32Array | Uint8Array;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): Info;
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  wasm: { _malloc(bytes: number): number; HEAPU8: Uint8Array };
}

/**
 * The activations a forward kernel keeps for its gradient live in a hidden tail of its hSeq output's allocation:
 * freed with hSeq, never a kernel output (the engine would otherwise build a zero gradient for each unused output
 * on every backward pass, megabytes per step). Keyed by hSeq's data id, so the gradient kernel can check them.
 */
const savedTails = new WeakMap<object, { kind: RecurrentKind; floats: number }>();

/** A float32 [B, T, H] tensor whose allocation has `tailFloats` more floats after its own B·T·H. */
function allocateWithTail(backend: WasmBackend, shape: number[], tailFloats: number, kind: RecurrentKind): Info {
  const size = shape.reduce((a, b) => a * b, 1);
  const offset = backend.wasm._malloc((size + tailFloats) * 4);
  if (offset === 0) throw new Error(`${KERNEL_OF[kind]}: out of wasm memory for ${size + tailFloats} floats`);
  const t = backend.makeOutput(shape, "float32", offset); // registered with its own size: kernels never see the tail
  savedTails.set(t.dataId, { kind, floats: tailFloats });
  return t;
}

/** Float32 views on the wasm heap, rebuilt when a native call has grown (and so replaced) the memory. */
class Heap {
  private readonly views = new Map<Info, Float32Array>();
  private readonly regions = new Map<Info, { base: Info; start: number }>();
  constructor(private readonly backend: WasmBackend) {}
  f32(t: Info): Float32Array {
    const v = this.views.get(t);
    if (v !== undefined && v.length > 0 && v.byteLength > 0) return v;
    const region = this.regions.get(t);
    let fresh: Float32Array;
    if (region === undefined) {
      fresh = this.backend.typedArrayFromHeap(t) as Float32Array;
    } else {
      const offset = this.backend.dataIdMap.get(region.base.dataId)!.memoryOffset;
      fresh = new Float32Array(this.backend.wasm.HEAPU8.buffer, offset + region.start * 4, t.shape.reduce((a, b) => a * b, 1));
    }
    this.views.set(t, fresh);
    return fresh;
  }
  /** A view-only handle on `shape` floats of base's allocation from float `start` on (for the saved tail). */
  region(base: Info, start: number, shape: number[]): Info {
    const t: Info = { dataId: base.dataId, shape, dtype: "float32" };
    this.regions.set(t, { base, start });
    return t;
  }
  /** A new float32 tensor owned by the caller, filled with zeros. */
  zeros(shape: number[]): Info {
    const t = this.backend.makeOutput(shape, "float32");
    this.f32(t).fill(0);
    return t;
  }
  copy(t: Info): Info {
    return this.fromValues([...t.shape], this.f32(t));
  }
  /** A new float32 tensor holding `values` (owned by the caller: a kernel output or a temporary). */
  fromValues(shape: number[], values: ArrayLike<number>): Info {
    const out = this.backend.makeOutput(shape, "float32");
    this.f32(out).set(values);
    return out;
  }
}

function requireFloat(name: string, t: Info | undefined, kernel: string): Info {
  if (t === undefined) throw new Error(`${kernel}: input "${name}" is missing`);
  if (t.dtype !== "float32") throw new Error(`${kernel}: input "${name}" must be float32, got ${t.dtype}`);
  return t;
}

/**
 * The same buffer seen with another shape of the same size (what the native Reshape does, without a new data id).
 * The native product kernels expect rank-3 operands, as tfjs's matMul op always passes them.
 */
function viewAs(t: Info, shape: number[]): Info {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}
const rank3 = (t: Info) => viewAs(t, [1, ...t.shape]);

/**
 * Where the recurrent kernels spend their time (on when `profileRecurrentKernels(true)`): native products and
 * sigmoids by name; the kernel's total minus those is the JavaScript on the heap.
 */
export const recurrentKernelProfile = new Map<string, { ms: number; calls: number }>();
let profiling = false;
export function profileRecurrentKernels(on: boolean): void {
  profiling = on;
  recurrentKernelProfile.clear();
}
function timed<T>(name: string, body: () => T): T {
  if (!profiling) return body();
  const t0 = performance.now();
  try {
    return body();
  } finally {
    const e = recurrentKernelProfile.get(name) ?? { ms: 0, calls: 0 };
    e.ms += performance.now() - t0;
    e.calls++;
    recurrentKernelProfile.set(name, e);
  }
}

/** One step's product a·b ([B, K] × [K, N] → [B, N]) by the native XNNPACK kernel; the caller disposes the result. */
function stepProduct(backend: Backend, a: Info, b: Info, label = "step product"): Info {
  const out = timed(label, () => NATIVE_WASM.get("BatchMatMul")!({ inputs: { a: rank3(a), b: rank3(b) }, backend, attrs: { transposeA: false, transposeB: false } as never }) as Info);
  return viewAs(out, [a.shape[0]!, b.shape[1]!]);
}

/** A 2-D product with optional transposes through lib/tfjs-wasm's fast BatchMatMul; a new tensor. */
function product(backend: Backend, a: Info, b: Info, transposeA: boolean, transposeB: boolean): Info {
  const out = batchMatMul({ inputs: { a: rank3(a), b: rank3(b) }, backend, attrs: { transposeA, transposeB } });
  return viewAs(out, out.shape.slice(1));
}

/** tfjs's hardSigmoid: clip(0.2 z + 0.5, 0, 1). */
const hardSigmoid = (z: number) => (z <= -2.5 ? 0 : z >= 2.5 ? 1 : 0.2 * z + 0.5);

/** Whether the gates are hard sigmoids (else logistic σ); refuses any other activation. */
function hasHardGates(attrs: RecurrentAttrs): boolean {
  if (attrs.recurrentActivation === "sigmoid") return false;
  if (attrs.recurrentActivation === "hardSigmoid") return true;
  throw new Error(`recurrent kernels: unsupported recurrentActivation "${String(attrs.recurrentActivation)}"`);
}

interface SequenceShape {
  B: number;
  T: number;
  D: number;
  H: number;
}

function shapeOf(kernelName: string, kind: RecurrentKind, x: Info, kernel: Info, recurrent: Info): SequenceShape {
  if (x.shape.length !== 3) throw new Error(`${kernelName}: x must be [batch, time, features], got [${x.shape}]`);
  const [B, T, D] = x.shape as [number, number, number];
  const H = recurrent.shape[0]!;
  const G = gatesOf(kind) * H;
  if (kernel.shape[0] !== D || kernel.shape[1] !== G || recurrent.shape[1] !== G) {
    throw new Error(`${kernelName}: kernel [${kernel.shape}] / recurrentKernel [${recurrent.shape}] do not fit x [${x.shape}] with ${H} units`);
  }
  if (T === 0) throw new Error(`${kernelName}: the sequence has no timesteps`);
  return { B, T, D, H };
}

/** x·W + b for every timestep at once: [B·T, G], rows in x's (batch, time) order. */
function inputProjection(s: KernelScope, x: Info, kernel: Info, bias: Info | undefined, sh: SequenceShape): Info {
  const flat = viewAs(x, [1, sh.B * sh.T, sh.D]);
  const attrs = { transposeA: false, transposeB: false };
  const out =
    bias === undefined
      ? s.run("BatchMatMul", { a: flat, b: rank3(kernel) }, attrs)
      : s.run("_FusedMatMul", { a: flat, b: rank3(kernel), bias }, { ...attrs, activation: "linear" });
  return viewAs(out, [sh.B * sh.T, out.shape[2]!]);
}

interface ForwardInputs {
  x: Info;
  kernel: Info;
  recurrentKernel: Info;
  bias?: Info;
  h0: Info;
  c0?: Info;
  mask?: Info;
}

function forwardInputs(kernelName: string, kind: RecurrentKind, inputs: Record<string, Info>, attrs: RecurrentAttrs): ForwardInputs {
  const get = (n: string) => requireFloat(n, inputs[n], kernelName);
  return {
    x: get("x"),
    kernel: get("kernel"),
    recurrentKernel: get("recurrentKernel"),
    bias: attrs.hasBias ? get("bias") : undefined,
    h0: get("h0"),
    c0: kind === "lstm" ? get("c0") : undefined,
    mask: attrs.hasMask ? get("mask") : undefined,
  };
}

interface KernelArgs {
  inputs: Record<string, Info>;
  backend: Backend;
  attrs: Record<string, unknown>;
}

function attrsOf(attrs: Record<string, unknown>): RecurrentAttrs {
  return {
    goBackwards: Boolean(attrs.goBackwards),
    recurrentActivation: attrs.recurrentActivation as GateActivation,
    hasBias: Boolean(attrs.hasBias),
    hasMask: Boolean(attrs.hasMask),
  };
}

/** Width of the saved activations per step: LSTM i, f, g, o and tanh(c); GRU z, r, ĥ; SimpleRNN none (h is kept). */
function savedWidth(kind: RecurrentKind, H: number): number {
  return kind === "lstm" ? 5 * H : kind === "gru" ? 3 * H : 0;
}

/**
 * σ of a scratch tensor by XNNPACK's vectorised sigmoid (30× cheaper than Math.exp per element in JavaScript); tanh
 * is taken as 2σ(2x) − 1 from the same call (absolute error ≈ 1e-7). The caller disposes the result.
 */
function nativeSigmoid(backend: Backend, x: Info): Info {
  return timed("sigmoid", () => NATIVE_WASM.get("Sigmoid")!({ inputs: { x }, backend, attrs: {} as never }) as Info);
}

// ---- the per-step loops, kept monomorphic (typed arrays and numbers only) so V8 compiles them tightly ----

/** zV[b, 0:W] = xw[(b, τ), 0:W] + rec[b, 0:W], with columns [from2x, to2x) doubled (tanh as 2σ(2x) − 1). */
function preActivations(xwV: Float32Array, recV: Float32Array, zV: Float32Array, B: number, T: number, tau: number, G: number, W: number, from2x: number, to2x: number): void {
  for (let b = 0; b < B; b++) {
    const xo = (b * T + tau) * G, ro = b * W;
    for (let j = 0; j < from2x; j++) zV[ro + j] = xwV[xo + j]! + recV[ro + j]!;
    for (let j = from2x; j < to2x; j++) zV[ro + j] = 2 * (xwV[xo + j]! + recV[ro + j]!);
    for (let j = to2x; j < W; j++) zV[ro + j] = xwV[xo + j]! + recV[ro + j]!;
  }
}

/** Gate values in place of σ where the gates are hard sigmoids: clip(0.2 z + 0.5, 0, 1) of the pre-activation. */
function hardGates(zV: Float32Array, sV: Float32Array, B: number, W: number, blocks: ReadonlyArray<[number, number]>): void {
  for (let b = 0; b < B; b++) {
    for (const [from, to] of blocks) {
      for (let j = b * W + from; j < b * W + to; j++) {
        sV[j] = hardSigmoid(zV[j]!);
      }
    }
  }
}

function isKept(maskV: Float32Array | undefined, b: number, T: number, tau: number): boolean {
  return maskV === undefined || maskV[b * T + tau] !== 0;
}

/**
 * Forward kernel (see the header): one product per step (two for a GRU), σ natively, the rest here. Outputs: hSeq
 * [B, T, H] in processing order (with the saved tail, see allocateWithTail), and c_T [B, H] for an LSTM.
 */
function forward(kind: RecurrentKind, { inputs, backend, attrs: rawAttrs }: KernelArgs): Info[] {
  const kernelName = KERNEL_OF[kind];
  const attrs = attrsOf(rawAttrs);
  const hard = kind !== "simple" && hasHardGates(attrs);
  const inp = forwardInputs(kernelName, kind, inputs, attrs);
  const sh = shapeOf(kernelName, kind, inp.x, inp.kernel, inp.recurrentKernel);
  const { B, T, H } = sh;
  const G = gatesOf(kind) * H;
  const S = savedWidth(kind, H);
  const heap = new Heap(backend as WasmBackend);
  const s = new KernelScope(backend);
  const outputs: Info[] = [];
  try {
    const xw = timed("input projection", () => inputProjection(s, inp.x, inp.kernel, inp.bias, sh));
    const { hSeq, cSeq, saved } = withTail(heap, backend as WasmBackend, kind, B, T, H);
    outputs.push(hSeq);
    // The running state and the pre-activations live in tensors so that native kernels can read them.
    const hPrev = s.adopt(heap.copy(inp.h0));
    const cPrev = inp.c0 ? Float64Array.from(heap.f32(inp.c0)) : new Float64Array(0);
    const W = kind === "gru" ? 2 * H : G;
    const preGates = s.adopt(heap.zeros([B, W]));
    const preTanh = kind === "simple" ? undefined : s.adopt(heap.zeros([B, H])); // LSTM 2c, GRU 2(x_h + (r⊙h₋₁)U_h)
    const rh = kind === "gru" ? s.adopt(heap.zeros([B, H])) : undefined; // r ⊙ h₋₁
    const uGates = kind === "gru" ? s.slice(inp.recurrentKernel, [0, 0], [H, 2 * H]) : inp.recurrentKernel;
    const uCandidate = kind === "gru" ? s.slice(inp.recurrentKernel, [0, 2 * H], [H, H]) : undefined;
    // Columns holding a tanh (doubled) and the gate blocks that are hard sigmoids.
    const [from2x, to2x] = kind === "lstm" ? [2 * H, 3 * H] : kind === "simple" ? [0, H] : [0, 0];
    const hardBlocks: Array<[number, number]> = kind === "lstm" ? [[0, 2 * H], [3 * H, 4 * H]] : [[0, 2 * H]];
    const stepTemps: Info[] = [];
    for (let step = 0; step < T; step++) {
      const tau = attrs.goBackwards ? T - 1 - step : step;
      try {
        const rec = stepProduct(backend, hPrev, uGates);
        stepTemps.push(rec);
        preActivations(heap.f32(xw), heap.f32(rec), heap.f32(preGates), B, T, tau, G, W, from2x, to2x);
        const sig = nativeSigmoid(backend, preGates);
        stepTemps.push(sig);
        if (hard) hardGates(heap.f32(preGates), heap.f32(sig), B, W, hardBlocks);
        const maskV = inp.mask ? heap.f32(inp.mask) : undefined;
        if (kind === "simple") {
          simpleStep(heap.f32(sig), heap.f32(hPrev), heap.f32(hSeq), maskV, B, T, H, step, tau);
          continue;
        }
        if (kind === "lstm") {
          lstmCellState(heap.f32(sig), heap.f32(saved!), cPrev, heap.f32(preTanh!), maskV, B, T, H, step, tau);
        } else {
          gruGates(heap.f32(sig), heap.f32(saved!), heap.f32(hPrev), heap.f32(rh!), maskV, B, T, H, step, tau);
          const cand = stepProduct(backend, rh!, uCandidate!);
          stepTemps.push(cand);
          gruCandidatePre(heap.f32(xw), heap.f32(cand), heap.f32(preTanh!), B, T, H, tau);
        }
        const sigT = nativeSigmoid(backend, preTanh!);
        stepTemps.push(sigT);
        if (kind === "lstm") {
          lstmOutput(heap.f32(sigT), heap.f32(saved!), cPrev, heap.f32(hPrev), heap.f32(hSeq), heap.f32(cSeq!), maskV, B, T, H, step, tau);
        } else {
          gruOutput(heap.f32(sigT), heap.f32(saved!), heap.f32(hPrev), heap.f32(hSeq), maskV, B, T, H, step, tau);
        }
      } finally {
        for (const t of stepTemps) backend.disposeData(t.dataId);
        stepTemps.length = 0;
      }
    }
    if (kind === "lstm") outputs.push(heap.fromValues([B, H], cPrev)); // c_T
    return outputs;
  } catch (e) {
    for (const t of outputs) backend.disposeData(t.dataId);
    throw e;
  } finally {
    s.dispose();
  }
}

/** hSeq [B, T, H] with the saved tail: LSTM cSeq [B, T, H] then i, f, g, o, tanh c [B, T, 5H]; GRU z, r, ĥ [B, T, 3H]. */
function withTail(heap: Heap, backend: WasmBackend, kind: RecurrentKind, B: number, T: number, H: number): { hSeq: Info; cSeq?: Info; saved?: Info } {
  const n = B * T * H;
  const S = savedWidth(kind, H);
  const cFloats = kind === "lstm" ? n : 0;
  const hSeq = allocateWithTail(backend, [B, T, H], cFloats + B * T * S, kind);
  return tailRegions(heap, hSeq, kind, B, T, H);
}

function tailRegions(heap: Heap, hSeq: Info, kind: RecurrentKind, B: number, T: number, H: number): { hSeq: Info; cSeq?: Info; saved?: Info } {
  const n = B * T * H;
  const S = savedWidth(kind, H);
  const cSeq = kind === "lstm" ? heap.region(hSeq, n, [B, T, H]) : undefined;
  const saved = kind === "simple" ? undefined : heap.region(hSeq, n + (cSeq ? n : 0), [B, T, S]);
  return { hSeq, cSeq, saved };
}

/** SimpleRNN: h = tanh(z) = 2σ(2z) − 1; a masked step repeats the previous output. */
function simpleStep(sV: Float32Array, hV: Float32Array, hSeqV: Float32Array, maskV: Float32Array | undefined, B: number, T: number, H: number, step: number, tau: number): void {
  for (let b = 0; b < B; b++) {
    const ho = b * H, so = (b * T + step) * H;
    if (isKept(maskV, b, T, tau)) for (let j = 0; j < H; j++) hV[ho + j] = 2 * sV[ho + j]! - 1;
    for (let j = 0; j < H; j++) hSeqV[so + j] = hV[ho + j]!;
  }
}

/** LSTM: saves i, f, g, o; c = f·c₋₁ + i·g (float32, as the cpu backend keeps it); 2c for tanh(c). */
function lstmCellState(sV: Float32Array, gV: Float32Array, cPrev: Float64Array, tV: Float32Array, maskV: Float32Array | undefined, B: number, T: number, H: number, step: number, tau: number): void {
  const G = 4 * H, S = 5 * H;
  for (let b = 0; b < B; b++) {
    if (!isKept(maskV, b, T, tau)) continue;
    const ro = b * G, go = (b * T + step) * S, ho = b * H;
    for (let j = 0; j < H; j++) {
      const i = sV[ro + j]!, f = sV[ro + H + j]!, g = 2 * sV[ro + 2 * H + j]! - 1, o = sV[ro + 3 * H + j]!;
      const c = Math.fround(f * cPrev[ho + j]! + i * g);
      gV[go + j] = i;
      gV[go + H + j] = f;
      gV[go + 2 * H + j] = g;
      gV[go + 3 * H + j] = o;
      cPrev[ho + j] = c;
      tV[ho + j] = 2 * c;
    }
  }
}

/** LSTM: h = o · tanh(c); saves tanh(c); a masked step repeats the previous output and state. */
function lstmOutput(sV: Float32Array, gV: Float32Array, cPrev: Float64Array, hV: Float32Array, hSeqV: Float32Array, cSeqV: Float32Array, maskV: Float32Array | undefined, B: number, T: number, H: number, step: number, tau: number): void {
  const S = 5 * H;
  for (let b = 0; b < B; b++) {
    const ho = b * H, so = (b * T + step) * H, go = (b * T + step) * S;
    if (isKept(maskV, b, T, tau)) {
      for (let j = 0; j < H; j++) {
        const t = 2 * sV[ho + j]! - 1;
        gV[go + 4 * H + j] = t;
        hV[ho + j] = gV[go + 3 * H + j]! * t;
      }
    }
    for (let j = 0; j < H; j++) {
      hSeqV[so + j] = hV[ho + j]!;
      cSeqV[so + j] = cPrev[ho + j]!;
    }
  }
}

/** GRU: saves z and r; r ⊙ h₋₁ for the candidate's product. */
function gruGates(sV: Float32Array, gV: Float32Array, hV: Float32Array, rhV: Float32Array, maskV: Float32Array | undefined, B: number, T: number, H: number, step: number, tau: number): void {
  const W = 2 * H, S = 3 * H;
  for (let b = 0; b < B; b++) {
    if (!isKept(maskV, b, T, tau)) continue;
    const ro = b * W, go = (b * T + step) * S, ho = b * H;
    for (let j = 0; j < H; j++) {
      const z = sV[ro + j]!, r = sV[ro + H + j]!;
      gV[go + j] = z;
      gV[go + H + j] = r;
      rhV[ho + j] = r * hV[ho + j]!;
    }
  }
}

/** GRU: 2 (x·W_h + b_h + (r ⊙ h₋₁)·U_h), for ĥ = tanh(…) as 2σ(2·) − 1. */
function gruCandidatePre(xwV: Float32Array, cV: Float32Array, tV: Float32Array, B: number, T: number, H: number, tau: number): void {
  const G = 3 * H;
  for (let b = 0; b < B; b++) {
    const xo = (b * T + tau) * G + 2 * H, ho = b * H;
    for (let j = 0; j < H; j++) tV[ho + j] = 2 * (xwV[xo + j]! + cV[ho + j]!);
  }
}

/** GRU: h = z·h₋₁ + (1 − z)·ĥ; saves ĥ; a masked step repeats the previous output. */
function gruOutput(sV: Float32Array, gV: Float32Array, hV: Float32Array, hSeqV: Float32Array, maskV: Float32Array | undefined, B: number, T: number, H: number, step: number, tau: number): void {
  const S = 3 * H;
  for (let b = 0; b < B; b++) {
    const ho = b * H, so = (b * T + step) * H, go = (b * T + step) * S;
    if (isKept(maskV, b, T, tau)) {
      for (let j = 0; j < H; j++) {
        const hh = 2 * sV[ho + j]! - 1;
        gV[go + 2 * H + j] = hh;
        const z = gV[go + j]!;
        hV[ho + j] = z * hV[ho + j]! + (1 - z) * hh;
      }
    }
    for (let j = 0; j < H; j++) hSeqV[so + j] = hV[ho + j]!;
  }
}

/**
 * Gradient kernel. Inputs: the forward inputs, its hSeq output (with the saved tail) and the output gradients dhSeq
 * (and dcLast, c_T's, for an LSTM). Outputs, in order: dx, dKernel, dRecurrentKernel, [dBias], dh0, [dc0].
 *
 * The reverse walk writes each step's pre-activation gradients dz as rows of dZ [B·T, G], next to the step inputs
 * [x | h₋₁ (| r⊙h₋₁)] of the same rows. The weight gradients are then one product dZᵀ·[x | h₋₁ …]: XNNPACK packs its
 * right operand on every call, and this keeps that operand narrow (D + H columns rather than G), 2× faster than
 * xᵀ·dZ and h₋₁ᵀ·dZ.
 */
function backward(kind: RecurrentKind, { inputs, backend, attrs: rawAttrs }: KernelArgs): Info[] {
  const kernelName = `${KERNEL_OF[kind]}Grad`;
  const attrs = attrsOf(rawAttrs);
  const hard = kind !== "simple" && hasHardGates(attrs);
  const inp = forwardInputs(kernelName, kind, inputs, attrs);
  const sh = shapeOf(kernelName, kind, inp.x, inp.kernel, inp.recurrentKernel);
  const { B, T, D, H } = sh;
  const G = gatesOf(kind) * H;
  const hSeqIn = requireFloat("hSeq", inputs.hSeq, kernelName);
  const dhSeq = requireFloat("dhSeq", inputs.dhSeq, kernelName);
  const dcLast = kind === "lstm" ? requireFloat("dcLast", inputs.dcLast, kernelName) : undefined;
  const wasm = backend as WasmBackend;
  const heap = new Heap(wasm);
  const tail = savedTails.get(hSeqIn.dataId);
  const S0 = savedWidth(kind, H);
  if (tail === undefined || tail.kind !== kind || tail.floats !== (kind === "lstm" ? B * T * H : 0) + B * T * S0) {
    throw new Error(`${kernelName}: hSeq carries no saved activations of a ${KERNEL_OF[kind]} of this shape (was it made by the forward kernel on this backend?)`);
  }
  const { hSeq, cSeq, saved } = tailRegions(heap, hSeqIn, kind, B, T, H);
  const s = new KernelScope(backend);
  const outputs: Info[] = [];
  try {
    const N = B * T;
    const stepCols = kind === "gru" ? D + 2 * H : D + H; // [x | h₋₁ (| r ⊙ h₋₁)]
    const dZ = s.adopt(heap.zeros([N, G]));
    const stepInputs = s.adopt(heap.zeros([N, stepCols]));
    {
      const xV = heap.f32(inp.x), siV = heap.f32(stepInputs);
      for (let r = 0; r < N; r++) siV.set(xV.subarray(r * D, r * D + D), r * stepCols);
    }
    const recW = kind === "gru" ? 2 * H : G; // the part of dz that multiplies Uᵀ (GRU: z and r)
    const dzStep = s.adopt(heap.zeros([B, recW]));
    const dCandStep = kind === "gru" ? s.adopt(heap.zeros([B, H])) : undefined;
    const uT = s.transpose(kind === "gru" ? s.slice(inp.recurrentKernel, [0, 0], [H, 2 * H]) : inp.recurrentKernel, [1, 0]);
    const uCandT = kind === "gru" ? s.transpose(s.slice(inp.recurrentKernel, [0, 2 * H], [H, H]), [1, 0]) : undefined;
    const dh = new Float64Array(B * H); // gradient reaching h after this step from later steps
    const dc = kind === "lstm" ? Float64Array.from(heap.f32(dcLast!)) : new Float64Array(0); // c_T's gradient (returnState)
    const dDirect = new Float64Array(kind === "gru" ? B * H : 0); // GRU: what reaches h₋₁ besides the z/r product
    const dBias = new Float64Array(G);
    const masked = new Uint8Array(B);
    for (let step = T - 1; step >= 0; step--) {
      const tau = attrs.goBackwards ? T - 1 - step : step;
      const maskV = inp.mask ? heap.f32(inp.mask) : undefined;
      for (let b = 0; b < B; b++) masked[b] = isKept(maskV, b, T, tau) ? 0 : 1;
      addStepGradient(dh, heap.f32(dhSeq), B, T, H, step);
      copyPreviousState(heap.f32(hSeq), heap.f32(inp.h0), heap.f32(stepInputs), masked, B, T, H, step, tau, stepCols, D);
      if (kind === "lstm") {
        lstmStepGrad(heap.f32(saved!), heap.f32(cSeq!), heap.f32(inp.c0!), dh, dc, heap.f32(dzStep), masked, B, T, H, step, hard);
      } else if (kind === "simple") {
        simpleStepGrad(heap.f32(hSeq), dh, heap.f32(dzStep), masked, B, T, H, step);
      } else {
        gruCandidateGrad(heap.f32(saved!), heap.f32(hSeq), heap.f32(inp.h0), dh, dDirect, heap.f32(dzStep), heap.f32(dCandStep!), heap.f32(stepInputs), masked, B, T, H, step, tau, stepCols, D, hard);
        const dRh = stepProduct(backend, dCandStep!, uCandT!); // d(r ⊙ h₋₁)
        try {
          gruResetGrad(heap.f32(saved!), heap.f32(hSeq), heap.f32(inp.h0), heap.f32(dRh), dDirect, heap.f32(dzStep), masked, B, T, H, step, hard);
        } finally {
          backend.disposeData(dRh.dataId);
        }
      }
      scatterStepGrad(heap.f32(dzStep), dCandStep ? heap.f32(dCandStep) : undefined, heap.f32(dZ), dBias, masked, B, T, G, recW, tau);
      const back = stepProduct(backend, dzStep, uT); // [B, H]: what reaches h₋₁ through U
      try {
        const backV = heap.f32(back);
        for (let b = 0; b < B; b++) {
          const ho = b * H;
          for (let j = 0; j < H; j++) {
            const carried = masked[b] ? dh[ho + j]! : kind === "gru" ? dDirect[ho + j]! : 0;
            dh[ho + j] = carried + backV[ho + j]!;
          }
        }
      } finally {
        backend.disposeData(back.dataId);
      }
    }
    outputs.push(viewAs(timed("dx product", () => product(backend, dZ, inp.kernel, false, true)), [B, T, D]));
    // [dWᵀ | dUᵀ (| dU_hᵀ)] = dZᵀ · [x | h₋₁ (| r ⊙ h₋₁)], then transposed into place here.
    const dZT = timed("transpose", () => s.transpose(dZ, [1, 0]));
    const weightGrads = s.adopt(viewAs(stepProduct(backend, dZT, stepInputs, "weight-gradient product"), [G, stepCols]));
    const dKernel = wasm.makeOutput([D, G], "float32");
    const dRecurrent = wasm.makeOutput([H, G], "float32");
    outputs.push(dKernel, dRecurrent);
    const dkV = heap.f32(dKernel), drV = heap.f32(dRecurrent), wgV2 = heap.f32(weightGrads);
    for (let g = 0; g < G; g++) {
      const row = g * stepCols;
      for (let d = 0; d < D; d++) dkV[d * G + g] = wgV2[row + d]!;
      // GRU: the candidate's columns of U multiply r ⊙ h₋₁, the others h₋₁.
      const from = kind === "gru" && g >= 2 * H ? D + H : D;
      for (let j = 0; j < H; j++) drV[j * G + g] = wgV2[row + from + j]!;
    }
    if (attrs.hasBias) outputs.push(heap.fromValues([G], dBias));
    outputs.push(heap.fromValues([B, H], dh));
    if (kind === "lstm") outputs.push(heap.fromValues([B, H], dc));
    return outputs;
  } catch (e) {
    for (const t of outputs) backend.disposeData(t.dataId);
    throw e;
  } finally {
    s.dispose();
  }
}

function addStepGradient(acc: Float64Array, dSeqV: Float32Array, B: number, T: number, H: number, step: number): void {
  for (let b = 0; b < B; b++) {
    const ho = b * H, so = (b * T + step) * H;
    for (let j = 0; j < H; j++) acc[ho + j] = acc[ho + j]! + dSeqV[so + j]!;
  }
}

/** h₋₁ of each kept row into the step-input matrix, next to that row's x (h0 before the first step). */
function copyPreviousState(hSeqV: Float32Array, h0V: Float32Array, siV: Float32Array, masked: Uint8Array, B: number, T: number, H: number, step: number, tau: number, cols: number, D: number): void {
  for (let b = 0; b < B; b++) {
    if (masked[b]) continue;
    const dst = (b * T + tau) * cols + D;
    if (step > 0) siV.set(hSeqV.subarray((b * T + step - 1) * H, (b * T + step) * H), dst);
    else siV.set(h0V.subarray(b * H, b * H + H), dst);
  }
}

/** This step's dz into dZ (row τ of each sample) and the bias gradient; masked rows stay 0. */
function scatterStepGrad(dzV: Float32Array, dCandV: Float32Array | undefined, dZV: Float32Array, dBias: Float64Array, masked: Uint8Array, B: number, T: number, G: number, recW: number, tau: number): void {
  const H = G - recW; // GRU: the candidate block after z and r; 0 otherwise
  for (let b = 0; b < B; b++) {
    if (masked[b]) continue;
    const row = b * T + tau, zo = b * recW;
    for (let g = 0; g < recW; g++) {
      const v = dzV[zo + g]!;
      dZV[row * G + g] = v;
      dBias[g] = dBias[g]! + v;
    }
    if (dCandV) {
      for (let j = 0; j < H; j++) {
        const v = dCandV[b * H + j]!, g = recW + j;
        dZV[row * G + g] = v;
        dBias[g] = dBias[g]! + v;
      }
    }
  }
}

/** LSTM: dz of i, f, g, o from dh and dc; dc becomes dc₋₁. Masked rows: dz = 0, dh and dc flow on. */
function lstmStepGrad(gV: Float32Array, cSeqV: Float32Array, c0V: Float32Array, dh: Float64Array, dc: Float64Array, dzV: Float32Array, masked: Uint8Array, B: number, T: number, H: number, step: number, hard: boolean): void {
  const G = 4 * H, S = 5 * H;
  for (let b = 0; b < B; b++) {
    const ho = b * H, zo = b * G;
    if (masked[b]) {
      dzV.fill(0, zo, zo + G);
      continue;
    }
    const go = (b * T + step) * S, po = (b * T + step - 1) * H;
    for (let j = 0; j < H; j++) {
      const i = gV[go + j]!, f = gV[go + H + j]!, g = gV[go + 2 * H + j]!, o = gV[go + 3 * H + j]!, tc = gV[go + 4 * H + j]!;
      const cPrev = step > 0 ? cSeqV[po + j]! : c0V[ho + j]!;
      const dH = dh[ho + j]!;
      const dC = dc[ho + j]! + dH * o * (1 - tc * tc);
      const si = hard ? (i > 0 && i < 1 ? 0.2 : 0) : i * (1 - i);
      const sf = hard ? (f > 0 && f < 1 ? 0.2 : 0) : f * (1 - f);
      const so = hard ? (o > 0 && o < 1 ? 0.2 : 0) : o * (1 - o);
      dzV[zo + j] = dC * g * si;
      dzV[zo + H + j] = dC * cPrev * sf;
      dzV[zo + 2 * H + j] = dC * i * (1 - g * g);
      dzV[zo + 3 * H + j] = dH * tc * so;
      dc[ho + j] = dC * f;
    }
  }
}

function simpleStepGrad(hSeqV: Float32Array, dh: Float64Array, dzV: Float32Array, masked: Uint8Array, B: number, T: number, H: number, step: number): void {
  for (let b = 0; b < B; b++) {
    const ho = b * H;
    if (masked[b]) {
      dzV.fill(0, ho, ho + H);
      continue;
    }
    const so = (b * T + step) * H;
    for (let j = 0; j < H; j++) {
      const h = hSeqV[so + j]!;
      dzV[ho + j] = dh[ho + j]! * (1 - h * h);
    }
  }
}

/** GRU, first half: dz of z and of the candidate's pre-activation, dh₋₁ through z; r ⊙ h₋₁ into the step inputs. */
function gruCandidateGrad(gV: Float32Array, hSeqV: Float32Array, h0V: Float32Array, dh: Float64Array, dDirect: Float64Array, dzV: Float32Array, dCandV: Float32Array, siV: Float32Array, masked: Uint8Array, B: number, T: number, H: number, step: number, tau: number, cols: number, D: number, hard: boolean): void {
  const S = 3 * H;
  for (let b = 0; b < B; b++) {
    const ho = b * H, zo = b * 2 * H;
    if (masked[b]) {
      dzV.fill(0, zo, zo + 2 * H);
      dCandV.fill(0, ho, ho + H);
      continue;
    }
    const go = (b * T + step) * S, po = (b * T + step - 1) * H, ro = (b * T + tau) * cols + D + H;
    for (let j = 0; j < H; j++) {
      const z = gV[go + j]!, r = gV[go + H + j]!, hh = gV[go + 2 * H + j]!;
      const hp = step > 0 ? hSeqV[po + j]! : h0V[ho + j]!;
      const dH = dh[ho + j]!;
      const sz = hard ? (z > 0 && z < 1 ? 0.2 : 0) : z * (1 - z);
      dCandV[ho + j] = dH * (1 - z) * (1 - hh * hh);
      dzV[zo + j] = dH * (hp - hh) * sz;
      dDirect[ho + j] = dH * z;
      siV[ro + j] = r * hp;
    }
  }
}

/** GRU, second half: from d(r ⊙ h₋₁), the reset gate's dz and the rest of dh₋₁. */
function gruResetGrad(gV: Float32Array, hSeqV: Float32Array, h0V: Float32Array, dRhV: Float32Array, dDirect: Float64Array, dzV: Float32Array, masked: Uint8Array, B: number, T: number, H: number, step: number, hard: boolean): void {
  const S = 3 * H;
  for (let b = 0; b < B; b++) {
    if (masked[b]) continue;
    const ho = b * H, go = (b * T + step) * S, po = (b * T + step - 1) * H, zo = b * 2 * H;
    for (let j = 0; j < H; j++) {
      const r = gV[go + H + j]!;
      const hp = step > 0 ? hSeqV[po + j]! : h0V[ho + j]!;
      const d = dRhV[ho + j]!;
      const sr = hard ? (r > 0 && r < 1 ? 0.2 : 0) : r * (1 - r);
      dzV[zo + H + j] = d * hp * sr;
      dDirect[ho + j] = dDirect[ho + j]! + d * r;
    }
  }
}

export const recurrentKernels = {
  forward: (kind: RecurrentKind) => ((args: KernelArgs) => timed("forward kernel (total)", () => forward(kind, args))) as unknown as tf.KernelFunc,
  backward: (kind: RecurrentKind) => ((args: KernelArgs) => timed("gradient kernel (total)", () => backward(kind, args))) as unknown as tf.KernelFunc,
};

/**
 * Input names of the forward kernel, in the order the engine saves them for the gradient. `bias` and `mask` are
 * always passed (zeros / ones when the layer has none; attrs.hasBias / hasMask say whether to use them), because
 * the engine saves inputs by name.
 */
export function forwardInputNames(kind: RecurrentKind): string[] {
  return ["x", "kernel", "recurrentKernel", "bias", "h0", ...(kind === "lstm" ? ["c0"] : []), "mask"];
}

/** The gradient: one call of the backward kernel, its outputs handed out per input. */
export function recurrentGradConfig(kind: RecurrentKind): tf.GradConfig {
  const outputCount = kind === "lstm" ? 2 : 1; // hSeq (with the saved tail), and c_T for an LSTM
  return {
    kernelName: KERNEL_OF[kind],
    inputsToSave: forwardInputNames(kind),
    outputsToSave: [true, ...(outputCount > 1 ? [false] : [])],
    gradFunc: (dy, saved, rawAttrs) => {
      const attrs = attrsOf(rawAttrs as Record<string, unknown>);
      const names = forwardInputNames(kind);
      const dys = Array.isArray(dy) ? dy : [dy];
      const saves: Record<string, tf.Tensor> = {};
      names.forEach((n, i) => (saves[n] = saved[i]!));
      const outs = saved.slice(names.length);
      const inputs: Record<string, tf.Tensor> = { ...saves, hSeq: outs[0]!, dhSeq: dys[0]! };
      if (kind === "lstm") inputs.dcLast = dys[1]!;
      const grads = tf.engine().runKernel(`${KERNEL_OF[kind]}Grad`, inputs as unknown as tf.NamedTensorMap, rawAttrs as tf.NamedAttrMap) as tf.Tensor[];
      const [dx, dKernel, dRecurrent, ...rest] = grads;
      const dBias = attrs.hasBias ? rest.shift()! : tf.zerosLike(saves.bias!);
      const [dh0, dc0] = rest;
      const map: Record<string, () => tf.Tensor> = {
        x: () => dx!,
        kernel: () => dKernel!,
        recurrentKernel: () => dRecurrent!,
        bias: () => dBias,
        h0: () => dh0!,
        mask: () => tf.zerosLike(saves.mask!),
      };
      if (kind === "lstm") map.c0 = () => dc0!;
      return map;
    },
  };
}
