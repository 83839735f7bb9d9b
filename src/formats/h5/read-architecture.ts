import { FormatError } from "../../ir/errors.js";
import type { Architecture } from "../architecture.js";

/** The part of an opened HDF5 file (h5wasm's `File`) this reader needs: the root group's attributes. */
export interface H5Root {
  attrs: Record<string, { value: unknown }>;
}

/**
 * The architecture of a legacy Keras HDF5 file (`model.save("m.h5")`, Keras 1 to 3): the root attribute
 * `model_config` holds `model.to_json()`, beside `keras_version` and `backend`. A file saved with
 * `save_weights` has `layer_names` but no `model_config`, and no architecture.
 */
export function readH5Architecture(root: H5Root, file?: string): Architecture {
  const attrs = root.attrs;
  const config = attributeText(attrs.model_config?.value);
  if (config === null) {
    const keys = Object.keys(attrs).join(", ") || "none";
    if ("layer_names" in attrs) {
      throw new FormatError(
        "is a weights-only HDF5 file (saved with save_weights): it has no model_config, so no architecture. " +
          `Open the architecture .json saved beside it (model.to_json()) instead. Received root attributes: ${keys}`,
        { file },
      );
    }
    throw new FormatError(
      `is an HDF5 file without a model_config attribute, so not a Keras model. Received root attributes: ${keys}`,
      {
        file,
      },
    );
  }
  let modelConfig: unknown;
  try {
    modelConfig = JSON.parse(config);
  } catch (e) {
    throw new FormatError(`the model_config attribute is not valid JSON (${(e as Error).message}).`, {
      file,
      cause: e,
    });
  }
  const kerasVersion = attributeText(attrs.keras_version?.value);
  const backend = attributeText(attrs.backend?.value);
  return { modelConfig, ...(kerasVersion ? { kerasVersion } : {}), ...(backend ? { backend } : {}) };
}

/** A string attribute as h5py wrote it: a variable-length string, fixed-length bytes, or a one-element array. */
function attributeText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array || value instanceof Int8Array)
    return new TextDecoder().decode(value).replace(/\0+$/, "");
  if (Array.isArray(value) && value.length === 1) return attributeText(value[0]);
  return null;
}
