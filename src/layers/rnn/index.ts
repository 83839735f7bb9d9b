import type { LayerKind } from "../../ir/kind.js";
import { Bidirectional } from "./bidirectional.js";
import { ConvLSTM1D } from "./conv-lstm1d.js";
import { ConvLSTM2D } from "./conv-lstm2d.js";
import { ConvLSTM3D } from "./conv-lstm3d.js";
import { CuDNNGRU } from "./cudnn-gru.js";
import { CuDNNLSTM } from "./cudnn-lstm.js";
import { GRU } from "./gru.js";
import { GRUCell } from "./gru-cell.js";
import { LSTM } from "./lstm.js";
import { LSTMCell } from "./lstm-cell.js";
import { RNN } from "./rnn.js";
import { SimpleRNN } from "./simple-rnn.js";
import { SimpleRNNCell } from "./simple-rnn-cell.js";
import { StackedRNNCells } from "./stacked-rnn-cells.js";
import { TimeDistributed } from "./time-distributed.js";

export const rnnKinds: LayerKind[] = [
  SimpleRNN,
  LSTM,
  GRU,
  SimpleRNNCell,
  LSTMCell,
  GRUCell,
  StackedRNNCells,
  RNN,
  Bidirectional,
  TimeDistributed,
  ConvLSTM1D,
  ConvLSTM2D,
  ConvLSTM3D,
  CuDNNLSTM,
  CuDNNGRU,
];
