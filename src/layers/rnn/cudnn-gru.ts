import { defineCuDNNRecurrent } from "./cudnn-recurrent.js";

/** Keras 2's `keras.layers.CuDNNGRU(units, ...)`: bias `(6*units,)`; with `return_state`, `output, h`. */
export const CuDNNGRU = defineCuDNNRecurrent("CuDNNGRU", 3, 1);
