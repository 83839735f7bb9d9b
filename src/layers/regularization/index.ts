import type { LayerKind } from "../../ir/kind.js";
import { ActivityRegularization } from "./activity-regularization.js";
import { AlphaDropout } from "./alpha-dropout.js";
import { Dropout } from "./dropout.js";
import { GaussianDropout } from "./gaussian-dropout.js";
import { GaussianNoise } from "./gaussian-noise.js";
import { SpatialDropout1D } from "./spatial-dropout1d.js";
import { SpatialDropout2D } from "./spatial-dropout2d.js";
import { SpatialDropout3D } from "./spatial-dropout3d.js";

export const regularizationKinds: LayerKind[] = [
  Dropout,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
  GaussianDropout,
  GaussianNoise,
  AlphaDropout,
  ActivityRegularization,
];
