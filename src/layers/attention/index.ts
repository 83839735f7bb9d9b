import type { LayerKind } from "../../ir/kind.js";

export const attentionKinds: LayerKind[] = [];
