import { defineCuDNNRecurrent } from "./cudnn-recurrent.js";

/** Keras 2's `keras.layers.CuDNNLSTM(units, ...)`: bias `(8*units,)`; with `return_state`, `output, h, c`. */
export const CuDNNLSTM = defineCuDNNRecurrent("CuDNNLSTM", 4, 2);
