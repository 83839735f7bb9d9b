import { activationMappers } from "./activations.js";
import type { Mapper } from "./context.js";
import { convMappers } from "./conv.js";
import { denseMappers } from "./dense.js";
import { mergingMappers } from "./merging.js";
import { normalizationMappers } from "./normalization.js";
import { opsMappers } from "./ops.js";
import { poolingMappers } from "./pooling.js";
import { recurrentMappers } from "./recurrent.js";
import { reshapingMappers } from "./reshaping.js";
import { spatialMappers } from "./spatial.js";

/**
 * Mappers by op: ONNX ops by name, the importer's own (made by passes) as `kg.<Op>`. One small table
 * per op family; an op missing here raises UnsupportedLayerError naming it and the node.
 */
export const defaultMappers: Readonly<Record<string, Mapper>> = {
  ...activationMappers,
  ...convMappers,
  ...denseMappers,
  ...mergingMappers,
  ...normalizationMappers,
  ...opsMappers,
  ...poolingMappers,
  ...recurrentMappers,
  ...reshapingMappers,
  ...spatialMappers,
};
