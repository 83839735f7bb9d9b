import type { LayerKind } from "../../ir/kind.js";
import { Dense } from "./dense.js";
import { InputLayer } from "./input-layer.js";

export const coreKinds: LayerKind[] = [InputLayer, Dense];
