import { defineConvLSTM } from "./conv-lstm.js";

/** `keras.layers.ConvLSTM1D(filters, kernel_size, ...)`: ConvLSTM over 1 spatial axes; input rank 4. */
export const ConvLSTM1D = defineConvLSTM("ConvLSTM1D", 1);
