import { FormatError } from "../../ir/errors.js";
import { isHdf5 } from "../detect.js";

/**
 * A Keras weights file's format by its first bytes: HDF5, or NumPy's npz (a zip). Keras's
 * `_save_model_to_dir` names the file `model.weights.h5` whatever its format, so a folder saved with
 * `weights_format="npz"` holds a zip under that name. Anything else is refused, naming `file` and the bytes.
 */
export function weightsFormat(head: Uint8Array, file: string): "h5" | "npz" {
  if (isHdf5(head)) return "h5";
  if (head[0] === 0x50 && head[1] === 0x4b) return "npz";
  const bytes = [...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  throw new FormatError(
    `is neither HDF5 nor a NumPy .npz archive, so not Keras weights. Received: first bytes ${bytes}`,
    {
      file,
    },
  );
}
