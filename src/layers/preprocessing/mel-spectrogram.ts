import { formatShape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";

/**
 * `keras.layers.MelSpectrogram(fft_length=2048, sequence_stride=512, sequence_length=None, window="hann",
 * sampling_rate=16000, num_mel_bins=128, min_freq=20.0, max_freq=None, power_to_db=True, top_db=80.0,
 * mag_exp=2.0, min_power=1e-10, ref_power=1.0)`: audio `(samples,)` or `(batch, samples)` to
 * `([batch,] num_mel_bins, frames)` with `frames = (samples + sequence_stride + 1) // sequence_stride`
 * (Keras's compute_output_shape, verbatim).
 */
export const MelSpectrogram = defineLayer({
  className: "MelSpectrogram",
  defaults: {
    fft_length: 2048,
    sequence_stride: 512,
    sequence_length: null,
    window: "hann",
    sampling_rate: 16000,
    num_mel_bins: 128,
    min_freq: 20.0,
    max_freq: null,
    power_to_db: true,
    top_db: 80.0,
    mag_exp: 2.0,
    min_power: 1e-10,
    ref_power: 1.0,
  },
  outputs(ctx) {
    const x = ctx.inputs[0];
    if (!x) return ctx.fail("expects one input tensor. Received: none");
    if (x.shape.length !== 1 && x.shape.length !== 2) {
      ctx.fail(`expects audio of shape (samples,) or (batch, samples). Received: input_shape=${formatShape(x.shape)}`);
    }
    const stride = ctx.config.positiveInt("sequence_stride");
    const bins = ctx.config.positiveInt("num_mel_bins");
    const samples = x.shape.at(-1)!;
    const frames = samples === null ? null : Math.floor((samples + stride + 1) / stride);
    return [x.shape.length === 1 ? [bins, frames] : [x.shape[0]!, bins, frames]];
  },
});
