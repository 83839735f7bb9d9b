import type { LayerKind } from "../../ir/kind.js";
import { Activation } from "./activation.js";
import { ELU } from "./elu.js";
import { LeakyReLU } from "./leaky-relu.js";
import { PReLU } from "./prelu.js";
import { ReLU } from "./relu.js";
import { Softmax } from "./softmax.js";
import { ThresholdedReLU } from "./thresholded-relu.js";

export const activationsKinds: LayerKind[] = [Activation, ReLU, LeakyReLU, PReLU, ELU, Softmax, ThresholdedReLU];
