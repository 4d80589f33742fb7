/**
 * Routes `tf.layers.lstm`, `tf.layers.gru` and `tf.layers.simpleRNN` (also inside `tf.layers.bidirectional`) to the
 * whole-sequence kernels of ./recurrent when they run on the wasm backend, so notebooks keep writing plain layers.
 *
 * The layers' `call` is wrapped on their prototypes. The fused route is taken only for what the kernels implement
 * exactly: a rank-3 float32 input, tanh activation, sigmoid or hardSigmoid gates, no dropout, not stateful, no
 * constants; everything else (and every other backend) runs tfjs-layers' own code unchanged.
 */
import * as tf from "@tensorflow/tfjs";
import { GateActivation, KERNEL_OF, RecurrentAttrs, RecurrentKind } from "./recurrent";

interface LayerVariableLike {
  read(): tf.Tensor;
}
interface CellLike {
  units: number;
  activation?: { getClassName(): string };
  recurrentActivation?: { getClassName(): string };
  useBias: boolean;
  dropout?: number;
  recurrentDropout?: number;
  kernel: LayerVariableLike;
  recurrentKernel: LayerVariableLike;
  bias: LayerVariableLike | null;
}
interface RecurrentLayerLike {
  cell: CellLike;
  stateful: boolean;
  goBackwards: boolean;
  returnSequences: boolean;
  returnState: boolean;
}
type Kwargs = { mask?: tf.Tensor | null; training?: boolean; initialState?: tf.Tensor[] | null } | undefined;
type CallFn = (this: RecurrentLayerLike, inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs) => tf.Tensor | tf.Tensor[];

/** Layers that went through the fused kernels / through tfjs-layers' loop on wasm, for tests and profiles. */
export const fusedRecurrentCalls = { fused: 0, fallback: 0 };

function gateActivationOf(cell: CellLike, kind: RecurrentKind): GateActivation | null {
  if (kind === "simple") return "sigmoid"; // unused by the kernel
  const name = cell.recurrentActivation?.getClassName();
  return name === "sigmoid" || name === "hardSigmoid" ? name : null;
}

/** The kernel attributes when the fused kernel computes exactly what the layer would, else null. */
function fusedPlan(layer: RecurrentLayerLike, kind: RecurrentKind, x: tf.Tensor, kwargs: Kwargs): RecurrentAttrs | null {
  if (tf.getBackend() !== "wasm" || tf.getKernel(KERNEL_OF[kind], "wasm") === undefined) return null;
  const cell = layer.cell;
  // Only the stock cell: a subclass may compute something else.
  if (Object.getPrototypeOf(cell) !== registeredClass(CLASS_NAMES[kind][1]).prototype) return null;
  if (layer.stateful || x.rank !== 3 || x.dtype !== "float32" || x.shape[1] === 0) return null;
  if ((cell.dropout ?? 0) > 0 || (cell.recurrentDropout ?? 0) > 0) return null;
  if (cell.activation?.getClassName() !== "tanh") return null;
  const recurrentActivation = gateActivationOf(cell, kind);
  if (recurrentActivation === null) return null;
  const initial = kwargs?.initialState;
  if (initial != null && !(Array.isArray(initial) && initial.every((t) => t instanceof tf.Tensor))) return null;
  const mask = kwargs?.mask;
  if (mask != null && !(mask instanceof tf.Tensor)) return null;
  return { goBackwards: layer.goBackwards, recurrentActivation, hasBias: cell.useBias && cell.bias !== null, hasMask: mask != null };
}

function lastStep(seq: tf.Tensor): tf.Tensor {
  const [B, T, H] = seq.shape as [number, number, number];
  return seq.slice([0, T - 1, 0], [B, 1, H]).reshape([B, H]);
}

function fusedCall(layer: RecurrentLayerLike, kind: RecurrentKind, x: tf.Tensor, kwargs: Kwargs, attrs: RecurrentAttrs): tf.Tensor | tf.Tensor[] {
  return tf.tidy(() => {
    const [B, T] = x.shape as [number, number, number];
    const H = layer.cell.units;
    const states = kwargs?.initialState ?? [];
    const expectedStates = kind === "lstm" ? 2 : 1;
    if (states.length !== 0 && states.length !== expectedStates) {
      throw new Error(`${kind} layer has ${expectedStates} state(s) but was passed ${states.length} initial state(s)`);
    }
    for (const state of states) {
      if (state.shape.length !== 2 || state.shape[0] !== B || state.shape[1] !== H) {
        throw new Error(`${kind} layer: an initial state has shape [${state.shape}], expected [${B},${H}]`);
      }
    }
    const zeros = () => tf.zeros([B, H]);
    const inputs: Record<string, tf.Tensor> = {
      x,
      kernel: layer.cell.kernel.read(),
      recurrentKernel: layer.cell.recurrentKernel.read(),
    };
    // The kernel always takes a bias and a mask (attrs say whether they are real): the engine saves inputs by name.
    inputs.bias = attrs.hasBias ? layer.cell.bias!.read() : tf.zeros([layer.cell.recurrentKernel.read().shape[1]!]);
    inputs.h0 = states[0] ?? zeros();
    if (kind === "lstm") inputs.c0 = states[1] ?? zeros();
    // As tfjs-layers' rnn(): any non-zero mask value keeps the step.
    inputs.mask = attrs.hasMask ? tf.cast(tf.cast(kwargs!.mask!, "bool"), "float32").reshape([B, T]) : tf.ones([B, T]);
    const outs = tf.engine().runKernel(KERNEL_OF[kind], inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    const hSeq = outs[0]!;
    const hLast = lastStep(hSeq);
    const output = layer.returnSequences ? hSeq : hLast;
    if (!layer.returnState) return output;
    return kind === "lstm" ? [output, hLast, outs[1]!] : [output, hLast];
  });
}

const originals = new Map<object, CallFn>();

const CLASS_NAMES: Readonly<Record<RecurrentKind, [layer: string, cell: string]>> = {
  lstm: ["LSTM", "LSTMCell"],
  gru: ["GRU", "GRUCell"],
  simple: ["SimpleRNN", "SimpleRNNCell"],
};

/** A tfjs-layers class by its registered name (looked up rather than instantiated: no layer-name counter moves). */
function registeredClass(name: string): { prototype: object } {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[name];
  if (entry === undefined) throw new Error(`lib/tfjs-wasm: tfjs-layers has no registered class "${name}"`);
  return entry[0] as unknown as { prototype: object };
}

function prototypeOf(kind: RecurrentKind): { call: CallFn } {
  return registeredClass(CLASS_NAMES[kind][0]).prototype as { call: CallFn };
}

/** Wraps the three layers' `call` (idempotent). */
export function installFusedRecurrentLayers(): void {
  for (const kind of ["lstm", "gru", "simple"] as const) {
    const proto = prototypeOf(kind);
    if (originals.has(proto)) continue;
    const original = proto.call;
    originals.set(proto, original);
    proto.call = function (this: RecurrentLayerLike, inputs, kwargs) {
      const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0]! : null) : inputs;
      const attrs = x === null ? null : fusedPlan(this, kind, x, kwargs);
      if (attrs === null || x === null) {
        if (tf.getBackend() === "wasm") fusedRecurrentCalls.fallback++;
        return original.call(this, inputs, kwargs);
      }
      fusedRecurrentCalls.fused++;
      return fusedCall(this, kind, x, kwargs, attrs);
    };
  }
}

export function uninstallFusedRecurrentLayers(): void {
  for (const [proto, original] of originals) (proto as { call: CallFn }).call = original;
  originals.clear();
}
