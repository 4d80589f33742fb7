/**
 * The last resort: run a kernel that the wasm backend lacks on the cpu backend, copying the inputs over and the
 * outputs back. Correct for every real-valued kernel (the cpu backend is the reference), slow for big tensors, so
 * lib/tfjs-wasm lists the kernels a notebook may meet through it (see BRIDGED_ON_PURPOSE in ./index).
 */
import * as tf from "@tensorflow/tfjs";
import { Backend, Info } from "./scope";

interface KernelArgs {
  /** A name → tensor map, or an array for the list kernels (Concat, AddN, Einsum, …). */
  inputs: Record<string, Info | null | undefined> | Array<Info>;
  backend: Backend;
  attrs: Record<string, unknown>;
}

/** How often each kernel went through the bridge in this process (for tests and the benchmark's profile). */
export const bridgeCalls = new Map<string, number>();

function cpuBackend(): tf.KernelBackend {
  const cpu = tf.findBackend("cpu");
  if (cpu === null) throw new Error("cpu bridge: the cpu backend is not available");
  return cpu;
}

export function bridgeToCpu(kernelName: string): tf.KernelFunc {
  const bridged = ({ inputs, backend, attrs }: KernelArgs) => {
    const cpuKernel = tf.getKernel(kernelName, "cpu");
    if (cpuKernel === undefined) throw new Error(`cpu bridge: kernel "${kernelName}" is not registered for cpu either`);
    bridgeCalls.set(kernelName, (bridgeCalls.get(kernelName) ?? 0) + 1);
    const cpu = cpuBackend();
    const copied: tf.DataId[] = [];
    const toCpu = (t: Info): Info => {
      if (t.dtype === "complex64") throw new Error(`cpu bridge: ${kernelName} has a complex64 input; use the cpu backend`);
      const values = backend.readSync(t.dataId) as tf.backend_util.BackendValues;
      const dataId = cpu.write(values, t.shape, t.dtype);
      copied.push(dataId);
      return { dataId, shape: t.shape, dtype: t.dtype };
    };
    try {
      let cpuInputs: Record<string, Info> | Info[];
      if (Array.isArray(inputs)) {
        cpuInputs = inputs.map(toCpu);
      } else {
        cpuInputs = {};
        for (const [name, t] of Object.entries(inputs)) if (t != null) cpuInputs[name] = toCpu(t);
      }
      const result = cpuKernel.kernelFunc({ inputs: cpuInputs as tf.NamedTensorInfoMap, backend: cpu, attrs: attrs as tf.NamedAttrMap });
      const outs = Array.isArray(result) ? result : [result];
      const back = outs.map((o): Info => {
        if (o.dtype === "complex64") throw new Error(`cpu bridge: ${kernelName} returns complex64; use the cpu backend`);
        const values = cpu.readSync(o.dataId) as tf.backend_util.BackendValues;
        cpu.disposeData(o.dataId);
        return { dataId: backend.write(values, o.shape, o.dtype), shape: o.shape, dtype: o.dtype };
      });
      return Array.isArray(result) ? back : back[0]!;
    } finally {
      for (const dataId of copied) cpu.disposeData(dataId);
    }
  };
  return bridged as unknown as tf.KernelFunc;
}
