import type { LayerKind } from "../../ir/kind.js";
import { Add } from "./add.js";
import { Average } from "./average.js";
import { Concatenate } from "./concatenate.js";
import { Dot } from "./dot.js";
import { Maximum } from "./maximum.js";
import { Minimum } from "./minimum.js";
import { Multiply } from "./multiply.js";
import { Subtract } from "./subtract.js";

export const mergingKinds: LayerKind[] = [Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot];
