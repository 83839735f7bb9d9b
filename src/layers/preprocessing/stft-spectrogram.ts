import type { CallContext } from "../../ir/kind.js";
import { formatShape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { convOutputLength, readDataFormat } from "../shape-arith.js";

/**
 * `keras.layers.STFTSpectrogram(mode="log", frame_length=256, frame_step=None, fft_length=None, window="hann",
 * periodic=False, scaling="density", padding="valid", expand_dims=False, data_format=None)`: a strided 1-D
 * convolution of `(batch, time, channels)` signals with fixed STFT kernels "real_kernel" and "imag_kernel"
 * `(frame_length, 1, fft_length // 2 + 1)` (mode "imag" skips the first, mode "real" the second).
 */
export const STFTSpectrogram = defineLayer({
  className: "STFTSpectrogram",
  defaults: {
    mode: "log",
    frame_length: 256,
    frame_step: null,
    fft_length: null,
    window: "hann",
    periodic: false,
    scaling: "density",
    padding: "valid",
    expand_dims: false,
    data_format: "channels_last",
  },
  outputs(ctx) {
    const x = ctx.inputs[0];
    if (!x || x.shape.length !== 3) {
      return ctx.fail(
        `expects an input of rank 3 (batch, time, channels). Received: input_shape=${x ? formatShape(x.shape) : "none"}`,
      );
    }
    const { frameLength, frameStep, freqBins } = stftSizes(ctx);
    const mode = ctx.config.string("mode");
    const freq = mode === "stft" ? freqBins * 2 : freqBins;
    const last = readDataFormat(ctx.config) === "channels_last";
    const channels = last ? x.shape[2]! : x.shape[1]!;
    const time = last ? x.shape[1]! : x.shape[2]!;
    const padding = ctx.config.oneOf("padding", ["valid", "same"] as const);
    // operation_utils.compute_conv_output_shape with kernel (frame_length,) and strides frame_step.
    const frames = convOutputLength(time, frameLength, frameStep, padding);
    if (frames !== null && frames <= 0) {
      ctx.fail(
        `computed output size would be zero or negative. Received: input_shape=${formatShape(x.shape)}, ` +
          `frame_length=${frameLength}, frame_step=${frameStep}, padding=${padding}`,
      );
    }
    if (ctx.config.bool("expand_dims")) {
      return [last ? [x.shape[0]!, frames, freq, channels] : [x.shape[0]!, channels, frames, freq]];
    }
    const features = channels === null ? null : freq * channels;
    return [last ? [x.shape[0]!, frames, features] : [x.shape[0]!, features, frames]];
  },
  weights(ctx) {
    const { frameLength, freqBins } = stftSizes(ctx);
    const mode = ctx.config.string("mode");
    const shape = [frameLength, 1, freqBins];
    return [mode !== "imag" && { name: "real_kernel", shape }, mode !== "real" && { name: "imag_kernel", shape }];
  },
});

/** frame_step defaults to frame_length // 2; fft_length to the next power of two >= frame_length. */
function stftSizes(ctx: CallContext): { frameLength: number; frameStep: number; freqBins: number } {
  const frameLength = ctx.config.positiveInt("frame_length");
  const frameStep = ctx.config.optionalInt("frame_step") ?? Math.floor(frameLength / 2);
  const fftLength = ctx.config.optionalInt("fft_length") ?? 2 ** Math.ceil(Math.log2(frameLength));
  return { frameLength, frameStep, freqBins: Math.floor(fftLength / 2) + 1 };
}
