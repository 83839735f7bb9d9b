import { defineConvLSTM } from "./conv-lstm.js";

/** `keras.layers.ConvLSTM2D(filters, kernel_size, ...)`: ConvLSTM over 2 spatial axes; input rank 5. */
export const ConvLSTM2D = defineConvLSTM("ConvLSTM2D", 2);
