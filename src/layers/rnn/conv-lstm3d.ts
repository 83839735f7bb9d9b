import { defineConvLSTM } from "./conv-lstm.js";

/** `keras.layers.ConvLSTM3D(filters, kernel_size, ...)`: ConvLSTM over 3 spatial axes; input rank 6. */
export const ConvLSTM3D = defineConvLSTM("ConvLSTM3D", 3);
