import type { LayerKind } from "../../ir/kind.js";

export const activationsKinds: LayerKind[] = [];
