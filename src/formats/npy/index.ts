export { type NdArray, ndarray, sizeOfShape, toNumbers, ARRAY_TYPES } from "./array.js";
export { parseNpy, readNpyFile } from "./read.js";
export { formatNpy, writeNpyFile } from "./write.js";
