import type { LayerKind } from "../../ir/kind.js";
import { Conv1D } from "./conv1d.js";
import { Conv1DTranspose } from "./conv1d-transpose.js";
import { Conv2D } from "./conv2d.js";
import { Conv2DTranspose } from "./conv2d-transpose.js";
import { Conv3D } from "./conv3d.js";
import { Conv3DTranspose } from "./conv3d-transpose.js";
import { DepthwiseConv1D } from "./depthwise-conv1d.js";
import { DepthwiseConv2D } from "./depthwise-conv2d.js";
import { SeparableConv1D } from "./separable-conv1d.js";
import { SeparableConv2D } from "./separable-conv2d.js";

export const convKinds: LayerKind[] = [
  Conv1D,
  Conv2D,
  Conv3D,
  Conv1DTranspose,
  Conv2DTranspose,
  Conv3DTranspose,
  DepthwiseConv1D,
  DepthwiseConv2D,
  SeparableConv1D,
  SeparableConv2D,
];
