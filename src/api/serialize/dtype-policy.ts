import { FormatError } from "../../ir/errors.js";
import type { KerasObjectJson } from "./keras-object.js";

const POLICY_NAMES = /^(float16|float32|float64|bfloat16|mixed_float16|mixed_bfloat16|u?int(8|16|32|64)|bool)$/;

/**
 * Keras 3's serialized `DTypePolicy` (`dtype_policies.serialize`), as every layer config's `dtype`:
 * `{"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}`.
 * Accepts a policy name ("float32", "mixed_float16") or an already serialized policy (kept as given).
 */
export function serializeDtypePolicy(dtype: unknown, floatx: string, where: string): KerasObjectJson {
  if (dtype === undefined || dtype === null) dtype = floatx;
  if (typeof dtype === "string") {
    if (!POLICY_NAMES.test(dtype)) {
      throw new FormatError(`${where}: unknown dtype policy. Received: dtype=${JSON.stringify(dtype)}`);
    }
    return { module: "keras", class_name: "DTypePolicy", config: { name: dtype }, registered_name: null };
  }
  if (dtype && typeof dtype === "object" && !Array.isArray(dtype)) {
    const o = dtype as Record<string, unknown>;
    if (typeof o.class_name === "string" && o.config && typeof o.config === "object")
      return o as unknown as KerasObjectJson;
  }
  throw new FormatError(`${where}: dtype must be a policy name such as "float32". Received: ${JSON.stringify(dtype)}`);
}
