import type { LayerKind } from "../../ir/kind.js";

export const rnnKinds: LayerKind[] = [];
