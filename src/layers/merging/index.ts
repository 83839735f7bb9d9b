import type { LayerKind } from "../../ir/kind.js";

export const mergingKinds: LayerKind[] = [];
