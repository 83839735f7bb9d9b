import type { LayerConfig } from "../../ir/config.js";
import type { WeightDecl } from "../../ir/kind.js";

/**
 * The LoRA adapters that `enable_lora` adds at the end of `build` when a config has `lora_rank`
 * (Dense, EinsumDense, Embedding, the BaseConv family): `<prefix>_a` of shape `kernel.shape[:-1] + (rank,)`
 * and `<prefix>_b` of shape `(rank, kernel.shape[-1])`, both float32, while the kernel stops being trainable.
 */
export function withLora(
  config: LayerConfig,
  weights: (WeightDecl | false)[],
  kernelName = "kernel",
  prefix = "lora_kernel",
): (WeightDecl | false)[] {
  const rank = config.optionalInt("lora_rank");
  const kernel = weights.find((w): w is WeightDecl => !!w && w.name === kernelName);
  if (!rank || !kernel) return weights;
  const shape = kernel.shape;
  return [
    ...weights.map((w) => (w === kernel ? { ...w, trainable: false } : w)),
    { name: `${prefix}_a`, shape: [...shape.slice(0, -1), rank], dtype: "float32" },
    { name: `${prefix}_b`, shape: [rank, shape[shape.length - 1]], dtype: "float32" },
  ];
}
