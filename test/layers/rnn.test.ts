/**
 * Recurrent kinds beyond what the fixtures record. Expected values come from Keras's sources
 * (keras/src/layers/rnn/):
 * - rnn.py `compute_output_shape`: `(batch, T, output_size)` with return_sequences else
 *   `(batch, output_size)`, then one `(batch, state_size)` per state with return_state.
 * - cells' `build`: SimpleRNN kernel (in, u), recurrent (u, u), bias (u,); LSTM 4u; GRU 3u with bias
 *   (2, 3u) when reset_after else (3u,). Layers put them under `<cell name>/`.
 * - conv_lstm.py: the step is `compute_conv_output_shape` of `(batch, *input_shape[2:])`; kernel
 *   kernel_size + (channels, 4f), recurrent kernel_size + (f, 4f), bias (4f,), under `conv_lstm_cell/`.
 * - bidirectional.py `compute_output_shape`: forward output, last axis x2 for "concat", a pair for None;
 *   states of both directions after it.
 * - time_distributed.py: `(child[0], T, *child[1:])` with the child on `(batch, *input_shape[2:])`.
 */
import { describe, expect, it } from "vitest";
import { FormatError, ShapeError } from "../../src/ir/errors.js";
import type { Shape } from "../../src/ir/shape.js";
import { rnnKinds } from "../../src/layers/rnn/index.js";
import { checkLayerFixtures, runKind, weightShapes } from "./run-kind.js";

const N = null;
const lstm = (config: Record<string, unknown>) => ({
  class_name: "LSTM",
  config: { name: "lstm", units: 3, ...config },
});

type Row = [label: string, className: string, config: Record<string, unknown>, input: Shape, outputs: Shape[]];
const rows: Row[] = [
  [
    "LSTM sequences and states",
    "LSTM",
    { units: 5, return_sequences: true, return_state: true },
    [N, 7, 3],
    [
      [N, 7, 5],
      [N, 5],
      [N, 5],
    ],
  ],
  [
    "GRU last output and state",
    "GRU",
    { units: 4, return_state: true },
    [N, N, 3],
    [
      [N, 4],
      [N, 4],
    ],
  ],
  ["SimpleRNN known batch", "SimpleRNN", { units: 2, return_sequences: true }, [16, 8, 32], [[16, 8, 2]]],
  ["Keras 1 LSTM output_dim", "LSTM", { output_dim: 6 }, [N, 4, 2], [[N, 6]]],
  ["stateful LSTM with static batch", "LSTM", { units: 2, stateful: true }, [1, 36, 1], [[1, 2]]],
  [
    "RNN of an LSTMCell",
    "RNN",
    { cell: { class_name: "LSTMCell", config: { name: "lstm_cell", units: 4 } }, return_state: true },
    [N, 5, 2],
    [
      [N, 4],
      [N, 4],
      [N, 4],
    ],
  ],
  [
    "RNN of stacked cells",
    "RNN",
    {
      cell: {
        class_name: "StackedRNNCells",
        config: {
          name: "stacked_rnn_cells",
          cells: [
            { class_name: "LSTMCell", config: { name: "lstm_cell", units: 4 } },
            { class_name: "GRUCell", config: { name: "gru_cell", units: 3 } },
          ],
        },
      },
      return_sequences: true,
      return_state: true,
    },
    [N, 6, 2],
    [
      [N, 6, 3],
      [N, 4],
      [N, 4],
      [N, 3],
    ],
  ],
  [
    "RNN of a list of cells",
    "RNN",
    {
      cell: [
        { class_name: "SimpleRNNCell", config: { units: 4 } },
        { class_name: "SimpleRNNCell", config: { units: 2 } },
      ],
    },
    [N, 6, 2],
    [[N, 2]],
  ],
  [
    "Bidirectional sum",
    "Bidirectional",
    { layer: lstm({ return_sequences: true }), merge_mode: "sum" },
    [N, 6, 5],
    [[N, 6, 3]],
  ],
  [
    "Bidirectional None",
    "Bidirectional",
    { layer: lstm({}), merge_mode: null },
    [N, 6, 5],
    [
      [N, 3],
      [N, 3],
    ],
  ],
  [
    "Bidirectional concat with states",
    "Bidirectional",
    { layer: lstm({ return_state: true }) },
    [N, 6, 5],
    [
      [N, 6],
      [N, 3],
      [N, 3],
      [N, 3],
      [N, 3],
    ],
  ],
  [
    "Bidirectional None with states",
    "Bidirectional",
    { layer: { class_name: "GRU", config: { name: "gru", units: 2, return_state: true } }, merge_mode: null },
    [N, 6, 5],
    [
      [N, 2],
      [N, 2],
      [N, 2],
      [N, 2],
    ],
  ],
  [
    "Bidirectional concat unknown units axis",
    "Bidirectional",
    { layer: lstm({ return_sequences: true }), merge_mode: "ave" },
    [N, N, 5],
    [[N, N, 3]],
  ],
  [
    "TimeDistributed Conv2D",
    "TimeDistributed",
    { layer: { class_name: "Conv2D", config: { name: "conv2d", filters: 4, kernel_size: 3 } } },
    [N, 5, 8, 8, 3],
    [[N, 5, 6, 6, 4]],
  ],
  [
    "TimeDistributed Dense on 4-D",
    "TimeDistributed",
    { layer: { class_name: "Dense", config: { name: "dense", units: 2 } } },
    [4, N, 3, 7],
    [[4, N, 3, 2]],
  ],
  // same, strides 2: floor((9 - 1) / 2) + 1 = 5; channels first after time
  [
    "ConvLSTM2D channels_first same",
    "ConvLSTM2D",
    { filters: 6, kernel_size: 3, strides: 2, padding: "same", data_format: "channels_first", return_sequences: true },
    [N, 4, 3, 9, 9],
    [[N, 4, 6, 5, 5]],
  ],
  // valid, dilation 2: floor((10 - 2*2 - 1) / 1) + 1 = 6
  ["ConvLSTM1D dilation", "ConvLSTM1D", { filters: 2, kernel_size: 3, dilation_rate: 2 }, [N, 5, 10, 4], [[N, 6, 2]]],
  // valid: 4 - 2 = 2 on each axis
  [
    "ConvLSTM3D states",
    "ConvLSTM3D",
    { filters: 2, kernel_size: 3, return_state: true },
    [N, 3, 4, 4, 4, 1],
    [
      [N, 2, 2, 2, 2],
      [N, 2, 2, 2, 2],
      [N, 2, 2, 2, 2],
    ],
  ],
  [
    "CuDNNLSTM states",
    "CuDNNLSTM",
    { units: 4, return_state: true },
    [N, 5, 3],
    [
      [N, 4],
      [N, 4],
      [N, 4],
    ],
  ],
  [
    "LSTMCell as a layer",
    "LSTMCell",
    { units: 3 },
    [N, 2],
    [
      [N, 3],
      [N, 3],
      [N, 3],
    ],
  ],
];

type WeightRow = [
  label: string,
  className: string,
  config: Record<string, unknown>,
  input: Shape,
  weights: [string, number[]][],
];
const weightRows: WeightRow[] = [
  [
    "GRU reset_after False",
    "GRU",
    { units: 4, reset_after: false },
    [N, 3, 2],
    [
      ["gru_cell/kernel", [2, 12]],
      ["gru_cell/recurrent_kernel", [4, 12]],
      ["gru_cell/bias", [12]],
    ],
  ],
  // Keras < 2.1.3 wrote no reset_after and computed the "before" variant
  [
    "Keras 2.1 GRU",
    "GRU",
    { units: 4, implementation: 1 },
    [N, 3, 2],
    [
      ["gru_cell/kernel", [2, 12]],
      ["gru_cell/recurrent_kernel", [4, 12]],
      ["gru_cell/bias", [12]],
    ],
  ],
  [
    "SimpleRNN no bias",
    "SimpleRNN",
    { units: 3, use_bias: false },
    [N, 3, 2],
    [
      ["simple_rnn_cell/kernel", [2, 3]],
      ["simple_rnn_cell/recurrent_kernel", [3, 3]],
    ],
  ],
  [
    "RNN of an LSTMCell",
    "RNN",
    { cell: { class_name: "LSTMCell", config: { name: "lstm_cell", units: 4 } } },
    [N, 5, 2],
    [
      ["lstm_cell/kernel", [2, 16]],
      ["lstm_cell/recurrent_kernel", [4, 16]],
      ["lstm_cell/bias", [16]],
    ],
  ],
  [
    "RNN of stacked cells",
    "RNN",
    {
      cell: {
        class_name: "StackedRNNCells",
        config: {
          name: "stacked_rnn_cells",
          cells: [
            { class_name: "LSTMCell", config: { name: "lstm_cell", units: 4 } },
            { class_name: "GRUCell", config: { name: "gru_cell", units: 3 } },
          ],
        },
      },
    },
    [N, 6, 2],
    [
      ["stacked_rnn_cells/lstm_cell/kernel", [2, 16]],
      ["stacked_rnn_cells/lstm_cell/recurrent_kernel", [4, 16]],
      ["stacked_rnn_cells/lstm_cell/bias", [16]],
      ["stacked_rnn_cells/gru_cell/kernel", [4, 9]],
      ["stacked_rnn_cells/gru_cell/recurrent_kernel", [3, 9]],
      ["stacked_rnn_cells/gru_cell/bias", [2, 9]],
    ],
  ],
  // a cell without a name gets Keras's automatic one
  [
    "RNN of an unnamed cell",
    "RNN",
    { cell: { class_name: "SimpleRNNCell", config: { units: 2, use_bias: false } } },
    [N, 5, 3],
    [
      ["simple_rnn_cell/kernel", [3, 2]],
      ["simple_rnn_cell/recurrent_kernel", [2, 2]],
    ],
  ],
  [
    "Bidirectional of a Keras 2 layer config",
    "Bidirectional",
    { layer: { class_name: "GRU", config: { name: "gru_1", units: 2, reset_after: true } } },
    [N, 4, 3],
    [
      ["forward_gru_1/gru_cell/kernel", [3, 6]],
      ["forward_gru_1/gru_cell/recurrent_kernel", [2, 6]],
      ["forward_gru_1/gru_cell/bias", [2, 6]],
      ["backward_gru_1/gru_cell/kernel", [3, 6]],
      ["backward_gru_1/gru_cell/recurrent_kernel", [2, 6]],
      ["backward_gru_1/gru_cell/bias", [2, 6]],
    ],
  ],
  [
    "Bidirectional with its own backward layer",
    "Bidirectional",
    {
      layer: { class_name: "SimpleRNN", config: { name: "fwd", units: 2 } },
      backward_layer: {
        class_name: "SimpleRNN",
        config: { name: "bwd", units: 2, go_backwards: true, use_bias: false },
      },
    },
    [N, 4, 3],
    [
      ["forward_fwd/simple_rnn_cell/kernel", [3, 2]],
      ["forward_fwd/simple_rnn_cell/recurrent_kernel", [2, 2]],
      ["forward_fwd/simple_rnn_cell/bias", [2]],
      ["bwd/simple_rnn_cell/kernel", [3, 2]],
      ["bwd/simple_rnn_cell/recurrent_kernel", [2, 2]],
    ],
  ],
  [
    "TimeDistributed Conv2D",
    "TimeDistributed",
    { layer: { class_name: "Conv2D", config: { name: "conv2d", filters: 4, kernel_size: 3 } } },
    [N, 5, 8, 8, 3],
    [
      ["conv2d/kernel", [3, 3, 3, 4]],
      ["conv2d/bias", [4]],
    ],
  ],
  [
    "ConvLSTM2D channels_first",
    "ConvLSTM2D",
    { filters: 6, kernel_size: [3, 2], data_format: "channels_first" },
    [N, 4, 3, 9, 9],
    [
      ["conv_lstm_cell/kernel", [3, 2, 3, 24]],
      ["conv_lstm_cell/recurrent_kernel", [3, 2, 6, 24]],
      ["conv_lstm_cell/bias", [24]],
    ],
  ],
  [
    "ConvLSTM1D no bias",
    "ConvLSTM1D",
    { filters: 2, kernel_size: 3, use_bias: false },
    [N, 5, 10, 4],
    [
      ["conv_lstm_cell/kernel", [3, 4, 8]],
      ["conv_lstm_cell/recurrent_kernel", [3, 2, 8]],
    ],
  ],
  [
    "CuDNNLSTM",
    "CuDNNLSTM",
    { units: 4 },
    [N, 5, 3],
    [
      ["kernel", [3, 16]],
      ["recurrent_kernel", [4, 16]],
      ["bias", [32]],
    ],
  ],
  [
    "CuDNNGRU",
    "CuDNNGRU",
    { units: 4 },
    [N, 5, 3],
    [
      ["kernel", [3, 12]],
      ["recurrent_kernel", [4, 12]],
      ["bias", [24]],
    ],
  ],
  [
    "GRUCell as a layer",
    "GRUCell",
    { units: 3 },
    [N, 2],
    [
      ["kernel", [2, 9]],
      ["recurrent_kernel", [3, 9]],
      ["bias", [2, 9]],
    ],
  ],
];

type ErrorRow = [
  label: string,
  className: string,
  config: Record<string, unknown>,
  input: Shape,
  error: typeof ShapeError,
  message: RegExp,
];
const errorRows: ErrorRow[] = [
  ["LSTM on a matrix", "LSTM", { units: 2 }, [N, 4], ShapeError, /LSTM 'layer'.*expected min_ndim=3, found ndim=2/],
  ["LSTM unknown features", "LSTM", { units: 2 }, [N, 4, N], ShapeError, /last dimension of the inputs must be known/],
  [
    "stateful with dynamic batch",
    "GRU",
    { units: 2, stateful: true },
    [N, 4, 3],
    ShapeError,
    /batch size must be static/,
  ],
  ["units missing", "SimpleRNN", {}, [N, 4, 3], FormatError, /units/],
  [
    "ConvLSTM2D rank",
    "ConvLSTM2D",
    { filters: 2, kernel_size: 3 },
    [N, 4, 9, 9],
    ShapeError,
    /expected ndim=5, found ndim=4/,
  ],
  [
    "ConvLSTM2D dynamic spatial",
    "ConvLSTM2D",
    { filters: 2, kernel_size: 3 },
    [N, 4, N, 9, 1],
    ShapeError,
    /static input shapes for the spatial dimension/,
  ],
  [
    "ConvLSTM2D empty output",
    "ConvLSTM2D",
    { filters: 2, kernel_size: 5 },
    [N, 4, 3, 9, 1],
    ShapeError,
    /zero or negative/,
  ],
  [
    "ConvLSTM strides with dilation",
    "ConvLSTM1D",
    { filters: 2, kernel_size: 3, strides: 2, dilation_rate: 2 },
    [N, 4, 9, 1],
    FormatError,
    /strides > 1/,
  ],
  [
    "TimeDistributed on a matrix",
    "TimeDistributed",
    { layer: { class_name: "Dense", config: { units: 2 } } },
    [N, 4],
    ShapeError,
    /at least 3 dimensions/,
  ],
  [
    "Bidirectional merge mode",
    "Bidirectional",
    { layer: lstm({}), merge_mode: "max" },
    [N, 4, 3],
    FormatError,
    /Invalid merge mode/,
  ],
  [
    "Bidirectional same direction",
    "Bidirectional",
    { layer: lstm({}), backward_layer: lstm({ name: "b" }) },
    [N, 4, 3],
    FormatError,
    /different `go_backwards`/,
  ],
  [
    "Bidirectional flags differ",
    "Bidirectional",
    { layer: lstm({}), backward_layer: lstm({ go_backwards: true, return_sequences: true }) },
    [N, 4, 3],
    FormatError,
    /return_sequences/,
  ],
];

describe("rnn kinds: output shapes", () => {
  it.each(rows)("%s", (_label, className, config, input, outputs) => {
    expect(runKind(className, config, input).outputs.map((o) => o.shape)).toEqual(outputs);
  });
  it("Keras 2's time_major and implementation keys are ignored", () => {
    expect(
      runKind("LSTM", { units: 2, time_major: false, implementation: 2, unroll: true }, [N, 3, 4]).outputs[0]!.shape,
    ).toEqual([N, 2]);
  });
  it("initial states passed along (Keras 2 list form) do not change the sequences", () => {
    const seq = { shape: [N, 5, 3], dtype: "float32" };
    const h = { shape: [N, 2], dtype: "float32" };
    expect(runKind("GRU", { units: 2 }, [seq, h]).outputs[0]!.shape).toEqual([N, 2]);
  });
  it("outputs take the compute dtype", () => {
    expect(runKind("LSTM", { units: 2, dtype: "mixed_bfloat16" }, [N, 3, 4]).outputs[0]!.dtype).toBe("bfloat16");
  });
});

describe("rnn kinds: weights", () => {
  it.each(weightRows)("%s", (_label, className, config, input, weights) => {
    expect(weightShapes(className, config, input)).toEqual(weights);
  });
});

describe("rnn kinds: errors", () => {
  it.each(errorRows)("%s", (_label, className, config, input, error, message) => {
    expect(() => runKind(className, config, input)).toThrow(error);
    expect(() => runKind(className, config, input)).toThrow(message);
  });
});

describe("rnn kinds against Keras's single-layer fixtures", () => checkLayerFixtures(rnnKinds));
