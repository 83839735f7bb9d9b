import type { LayerKind } from "../../ir/kind.js";
import { AdaptiveAveragePooling1D } from "./adaptive-average-pooling1d.js";
import { AdaptiveAveragePooling2D } from "./adaptive-average-pooling2d.js";
import { AdaptiveAveragePooling3D } from "./adaptive-average-pooling3d.js";
import { AdaptiveMaxPooling1D } from "./adaptive-max-pooling1d.js";
import { AdaptiveMaxPooling2D } from "./adaptive-max-pooling2d.js";
import { AdaptiveMaxPooling3D } from "./adaptive-max-pooling3d.js";
import { AveragePooling1D } from "./average-pooling1d.js";
import { AveragePooling2D } from "./average-pooling2d.js";
import { AveragePooling3D } from "./average-pooling3d.js";
import { GlobalAveragePooling1D } from "./global-average-pooling1d.js";
import { GlobalAveragePooling2D } from "./global-average-pooling2d.js";
import { GlobalAveragePooling3D } from "./global-average-pooling3d.js";
import { GlobalMaxPooling1D } from "./global-max-pooling1d.js";
import { GlobalMaxPooling2D } from "./global-max-pooling2d.js";
import { GlobalMaxPooling3D } from "./global-max-pooling3d.js";
import { MaxPooling1D } from "./max-pooling1d.js";
import { MaxPooling2D } from "./max-pooling2d.js";
import { MaxPooling3D } from "./max-pooling3d.js";

export const poolingKinds: LayerKind[] = [
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
  AveragePooling1D,
  AveragePooling2D,
  AveragePooling3D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  GlobalMaxPooling3D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalAveragePooling3D,
  AdaptiveMaxPooling1D,
  AdaptiveMaxPooling2D,
  AdaptiveMaxPooling3D,
  AdaptiveAveragePooling1D,
  AdaptiveAveragePooling2D,
  AdaptiveAveragePooling3D,
];
