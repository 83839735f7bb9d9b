import * as tf from "@tensorflow/tfjs";

type KernelConfig = ReturnType<typeof tf.getKernelsForBackend>[number];
type TensorInfo = { dataId: object; shape: number[]; dtype: string };
type Backend = {
  readSync(dataId: object): ArrayLike<number> | Uint8Array[];
  write(values: ArrayLike<number> | null, shape: number[], dtype: string): object;
  disposeData(dataId: object, force?: boolean): boolean;
  makeOutput?(shape: number[], dtype: string, offset?: number, values?: ArrayLike<number>): TensorInfo;
};

/**
 * Kernels tfjs-backend-wasm 4.22 has but computes wrongly, which the CPU backend runs instead:
 * Conv3DBackpropInputV2 (conv3dTranspose, and the input gradient of Conv3D) gives values far from
 * the CPU kernel's and from Keras's (layers/Conv3DTranspose: 2559 of 4096 outputs off).
 */
const WRONG_ON_WASM = ["Conv3DBackpropInputV2"];

let installed = false;

/**
 * tfjs-backend-wasm 4.22 lacks some kernels the CPU backend has; training needs one of them
 * (UnsortedSegmentSum, the gradient of Gather, i.e. of every Embedding). Each missing kernel, and each
 * of WRONG_ON_WASM, is registered for wasm as a hand-off: the inputs are copied to the CPU backend, its
 * kernel runs, and the outputs are copied back into wasm memory.
 */
export function installWasmFallbacks(): void {
  if (installed) return;
  installed = true;
  const cpu = tf.findBackend("cpu") as unknown as Backend | null;
  if (!cpu) return;
  for (const kernel of tf.getKernelsForBackend("cpu")) {
    if (WRONG_ON_WASM.includes(kernel.kernelName)) tf.unregisterKernel(kernel.kernelName, "wasm");
    else if (tf.getKernel(kernel.kernelName, "wasm")) continue;
    tf.registerKernel({ ...kernel, backendName: "wasm", kernelFunc: handOff(kernel, cpu) } as KernelConfig);
  }
}

function handOff(kernel: KernelConfig, cpu: Backend): KernelConfig["kernelFunc"] {
  return (({ inputs, backend, attrs }: { inputs: Record<string, TensorInfo>; backend: Backend; attrs: unknown }) => {
    const moved: TensorInfo[] = [];
    const cpuInputs: Record<string, TensorInfo> = {};
    for (const [name, t] of Object.entries(inputs)) {
      if (!t) continue;
      const dataId = cpu.write(backend.readSync(t.dataId) as ArrayLike<number>, t.shape, t.dtype);
      cpuInputs[name] = { dataId, shape: t.shape, dtype: t.dtype };
      moved.push(cpuInputs[name]!);
    }
    const out = (kernel.kernelFunc as (a: unknown) => TensorInfo | TensorInfo[])({
      inputs: cpuInputs,
      backend: cpu,
      attrs,
    });
    const outs = Array.isArray(out) ? out : [out];
    const back = outs.map((o) =>
      backend.makeOutput!(o.shape, o.dtype, undefined, cpu.readSync(o.dataId) as ArrayLike<number>),
    );
    for (const t of [...moved, ...outs]) cpu.disposeData(t.dataId, true);
    return Array.isArray(out) ? back : back[0]!;
  }) as unknown as KernelConfig["kernelFunc"];
}
