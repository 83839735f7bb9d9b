import type { LayerKind } from "../../ir/kind.js";
import { BatchNormalization } from "./batch-normalization.js";
import { GroupNormalization } from "./group-normalization.js";
import { LayerNormalization } from "./layer-normalization.js";
import { RMSNormalization } from "./rms-normalization.js";
import { SpectralNormalization } from "./spectral-normalization.js";
import { UnitNormalization } from "./unit-normalization.js";

export const normalizationKinds: LayerKind[] = [
  BatchNormalization,
  LayerNormalization,
  GroupNormalization,
  UnitNormalization,
  RMSNormalization,
  SpectralNormalization,
];
