/**
 * Makes the wasm backend train everything the notebooks need, fast (issue 7). lib/tf.ts calls
 * `installWasmTraining()` before it selects the wasm backend; nothing else needs to.
 *
 * Three kinds of kernels end up registered for "wasm":
 * - native: registered by @tensorflow/tfjs-backend-wasm and used as is;
 * - implemented: registered here (IMPLEMENTED), written in terms of native kernels — gradients tfjs-backend-wasm
 *   lacks, native gradients that are wrong, and faster routes for slow native ones;
 * - bridged: every other kernel the cpu backend has, run on the cpu backend with the data copied across
 *   (./bridge), so that nothing fails with "kernel not registered". BRIDGED_ON_PURPOSE lists the bridged kernels a
 *   notebook may use; test/lib/tfjs-wasm/models.test.ts fails when a model uses any other bridged kernel.
 */
import * as tf from "@tensorflow/tfjs";
import { bridgeToCpu } from "./bridge";
import {
  conv2DBackpropFilter,
  conv2DBackpropInput,
  depthwiseConv2dNativeBackpropFilter,
  depthwiseConv2dNativeBackpropInput,
} from "./conv";
import { batchMatMul, fusedMatMul } from "./matmul";
import { maxPoolGrad, resizeBilinearGrad, resizeNearestNeighborGrad } from "./pool";
import { meanLeading, sumLeading } from "./reduce";
import { captureNativeKernels, Info, NATIVE_WASM } from "./scope";
import { KERNEL_OF, recurrentGradConfig, recurrentKernels } from "./recurrent";
import { installFusedRecurrentLayers, uninstallFusedRecurrentLayers } from "./recurrent-layers";
import { unsortedSegmentSum } from "./segment";
import { transposeAvoidingAliasing } from "./transpose";

export { bridgeCalls } from "./bridge";
export { NATIVE_WASM } from "./scope";

export type KernelStatus = "native" | "implemented" | "bridged" | "missing";

interface Implementation {
  kernelFunc: tf.KernelFunc;
  /** Why it is registered here rather than left to tfjs-backend-wasm. */
  why: string;
  /** Attribute combinations this implementation does not handle: those calls go to the cpu bridge. */
  unsupported?: (args: { inputs: Record<string, Info>; attrs: Record<string, unknown> }) => boolean;
}

const isNCHW = ({ attrs }: { attrs: Record<string, unknown> }) => attrs.dataFormat === "NCHW";
const isDilated = ({ attrs }: { attrs: Record<string, unknown> }) => {
  const d = attrs.dilations;
  if (d == null) return false;
  return Array.isArray(d) ? d.some((v) => v !== 1) : d !== 1;
};

export const IMPLEMENTED: Readonly<Record<string, Implementation>> = {
  Conv2DBackpropFilter: {
    kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
    why: "missing in tfjs-backend-wasm: every Conv2D layer's weight gradient",
    unsupported: isNCHW,
  },
  Conv2DBackpropInput: {
    kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
    why: "native kernel is a direct loop, ~10× slower than a convolution of the dilated gradient",
    unsupported: isNCHW,
  },
  DepthwiseConv2dNativeBackpropFilter: {
    kernelFunc: depthwiseConv2dNativeBackpropFilter as unknown as tf.KernelFunc,
    why: "missing in tfjs-backend-wasm: DepthwiseConv2D / SeparableConv2D weight gradient",
    unsupported: isDilated,
  },
  DepthwiseConv2dNativeBackpropInput: {
    kernelFunc: depthwiseConv2dNativeBackpropInput as unknown as tf.KernelFunc,
    why: "missing in tfjs-backend-wasm: DepthwiseConv2D / SeparableConv2D input gradient",
    unsupported: isDilated,
  },
  UnsortedSegmentSum: {
    kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
    why: "missing in tfjs-backend-wasm: the gradient of gather, so of every Embedding layer",
  },
  MaxPoolGrad: {
    kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
    why: "native kernel is wrong when a window's values are all ≤ 0 (starts its max at FLT_MIN)",
  },
  ResizeNearestNeighborGrad: {
    kernelFunc: resizeNearestNeighborGrad as unknown as tf.KernelFunc,
    why: "UpSampling2D's gradient as one average pool (15–20× faster); native kernel ignores halfPixelCenters and is wrong with alignCorners when a side has size 1",
  },
  ResizeBilinearGrad: {
    kernelFunc: resizeBilinearGrad as unknown as tf.KernelFunc,
    why: "native kernel ignores halfPixelCenters: the exact adjoint then and with alignCorners, the native kernel otherwise",
  },
  BatchMatMul: {
    kernelFunc: batchMatMul as unknown as tf.KernelFunc,
    why: "native kernel uses a scalar loop for transposed operands (every backward pass) and for batches (attention): transpose + XNNPACK, batches as one grouped convolution",
  },
  _FusedMatMul: {
    kernelFunc: fusedMatMul as unknown as tf.KernelFunc,
    why: "as BatchMatMul; also the native loop adds a fused bias wrongly when it cannot use XNNPACK",
  },
  Sum: {
    kernelFunc: sumLeading as unknown as tf.KernelFunc,
    why: "over leading axes (bias gradients) the native kernel transposes first; an XNNPACK average pool is 4–30× faster",
  },
  Mean: {
    kernelFunc: meanLeading as unknown as tf.KernelFunc,
    why: "as Sum (batch-norm and layer statistics over the batch)",
  },
  Transpose: {
    kernelFunc: transposeAvoidingAliasing as unknown as tf.KernelFunc,
    why: "native 2-D transpose of a matrix with 256·k rows stores with a power-of-two stride (cache aliasing, ~10× slower); done as a 3-D transpose",
  },
  CropAndResize: {
    kernelFunc: bridgeToCpu("CropAndResize"),
    why: "native kernel is wrong: a box that starts at y1 = 0 is cropped from x1 = 0 whatever its x1 (so shifted crops lose their column offset); the cpu kernel is right",
  },
  Identity: {
    kernelFunc: shareIdentity as unknown as tf.KernelFunc,
    why: "native kernel copies the buffer; sharing it (reference-counted, as the cpu backend does) saves a pass",
  },
  [KERNEL_OF.lstm]: {
    kernelFunc: recurrentKernels.forward("lstm"),
    why: "new: a whole LSTM layer in one kernel (one product per step, gates on the heap) instead of ≈ 190 engine kernels per timestep",
  },
  [`${KERNEL_OF.lstm}Grad`]: { kernelFunc: recurrentKernels.backward("lstm"), why: "new: every gradient of the LSTM kernel in one pass" },
  [KERNEL_OF.gru]: { kernelFunc: recurrentKernels.forward("gru"), why: "new: a whole GRU layer in one kernel" },
  [`${KERNEL_OF.gru}Grad`]: { kernelFunc: recurrentKernels.backward("gru"), why: "new: every gradient of the GRU kernel in one pass" },
  [KERNEL_OF.simple]: { kernelFunc: recurrentKernels.forward("simple"), why: "new: a whole SimpleRNN layer in one kernel" },
  [`${KERNEL_OF.simple}Grad`]: { kernelFunc: recurrentKernels.backward("simple"), why: "new: every gradient of the SimpleRNN kernel in one pass" },
};

/** Identity without a copy: the output shares the input's buffer, the backend counts the references. */
function shareIdentity({ inputs, backend }: { inputs: { x: Info }; backend: tf.KernelBackend }): Info {
  const { x } = inputs;
  if (x.dtype === "string") return NATIVE_WASM.get("Identity")!({ inputs, backend, attrs: {} } as never) as Info;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * Bridged kernels that notebooks may use, with the reason that is acceptable. Anything else a model needs must be
 * native or implemented (the model test enforces it).
 */
export const BRIDGED_ON_PURPOSE: Readonly<Record<string, string>> = {
  Einsum: "small tensors in the attention notebooks' einsum illustrations; matMul is the fast route",
};

const bridged = new Set<string>();
const replaced = new Map<string, tf.KernelConfig>();
let installed = false;

function withFallback(name: string, impl: Implementation): tf.KernelFunc {
  if (impl.unsupported === undefined) return impl.kernelFunc;
  const bridge = bridgeToCpu(name);
  const unsupported = impl.unsupported;
  return (args) => {
    const plain = { inputs: args.inputs as Record<string, Info>, attrs: args.attrs as Record<string, unknown> };
    return unsupported(plain) ? bridge(args) : impl.kernelFunc(args);
  };
}

/**
 * Registers the implemented and bridged kernels for "wasm". Idempotent; call it before `tf.setBackend("wasm")`
 * (it also works afterwards). `uninstallWasmTraining()` restores plain tfjs-backend-wasm (for benchmarks).
 */
export function installWasmTraining(): void {
  if (installed) return;
  captureNativeKernels();
  for (const [name, impl] of Object.entries(IMPLEMENTED)) {
    const original = tf.getKernel(name, "wasm");
    if (original !== undefined) {
      replaced.set(name, original);
      tf.unregisterKernel(name, "wasm");
    }
    // Keep the native kernel's setup (it binds the C++ entry point that the native kernel function calls).
    tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc: withFallback(name, impl), setupFunc: original?.setupFunc });
  }
  for (const config of tf.getKernelsForBackend("cpu")) {
    const name = config.kernelName;
    if (tf.getKernel(name, "wasm") !== undefined) continue;
    tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc: bridgeToCpu(name) });
    bridged.add(name);
  }
  // The recurrent kernels are new kernel names: their gradients, and the layers that call them.
  for (const kind of ["lstm", "gru", "simple"] as const) {
    if (tf.getGradient(KERNEL_OF[kind]) === undefined) tf.registerGradient(recurrentGradConfig(kind));
  }
  installFusedRecurrentLayers();
  installed = true;
}

export function uninstallWasmTraining(): void {
  if (!installed) return;
  uninstallFusedRecurrentLayers();
  for (const name of Object.keys(IMPLEMENTED)) {
    tf.unregisterKernel(name, "wasm");
    const original = replaced.get(name);
    if (original !== undefined) tf.registerKernel(original);
  }
  for (const name of bridged) tf.unregisterKernel(name, "wasm");
  bridged.clear();
  replaced.clear();
  installed = false;
}

export function isWasmTrainingInstalled(): boolean {
  return installed;
}

export function wasmKernelStatus(kernelName: string): KernelStatus {
  if (installed && kernelName in IMPLEMENTED) return "implemented";
  if (bridged.has(kernelName)) return "bridged";
  captureNativeKernels();
  if (NATIVE_WASM.has(kernelName)) return "native";
  return "missing";
}

/** Every kernel registered for cpu or wasm with its status on wasm, sorted by name. */
export function wasmKernelTable(): Array<{ kernel: string; status: KernelStatus; note: string }> {
  captureNativeKernels();
  const names = new Set<string>([...NATIVE_WASM.keys(), ...Object.keys(IMPLEMENTED), ...tf.getKernelsForBackend("cpu").map((k) => k.kernelName)]);
  return [...names].sort().map((kernel) => {
    const status = wasmKernelStatus(kernel);
    const note =
      status === "implemented" ? IMPLEMENTED[kernel]!.why : status === "bridged" ? (BRIDGED_ON_PURPOSE[kernel] ?? "") : "";
    return { kernel, status, note };
  });
}
