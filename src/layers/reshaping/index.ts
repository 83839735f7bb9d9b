import type { LayerKind } from "../../ir/kind.js";
import { Cropping1D } from "./cropping1d.js";
import { Cropping2D } from "./cropping2d.js";
import { Cropping3D } from "./cropping3d.js";
import { Flatten } from "./flatten.js";
import { Permute } from "./permute.js";
import { RepeatVector } from "./repeat-vector.js";
import { Reshape } from "./reshape.js";
import { UpSampling1D } from "./up-sampling1d.js";
import { UpSampling2D } from "./up-sampling2d.js";
import { UpSampling3D } from "./up-sampling3d.js";
import { ZeroPadding1D } from "./zero-padding1d.js";
import { ZeroPadding2D } from "./zero-padding2d.js";
import { ZeroPadding3D } from "./zero-padding3d.js";

export const reshapingKinds: LayerKind[] = [
  Flatten,
  Reshape,
  Permute,
  RepeatVector,
  Cropping1D,
  Cropping2D,
  Cropping3D,
  ZeroPadding1D,
  ZeroPadding2D,
  ZeroPadding3D,
  UpSampling1D,
  UpSampling2D,
  UpSampling3D,
];
