import type { LayerKind } from "../../ir/kind.js";
import { Dense } from "./dense.js";
import { EinsumDense } from "./einsum-dense.js";
import { Embedding } from "./embedding.js";
import { Identity } from "./identity.js";
import { InputLayer } from "./input-layer.js";
import { Lambda } from "./lambda.js";
import { Masking } from "./masking.js";
import { ReversibleEmbedding } from "./reversible-embedding.js";
import { TernaryDense } from "./ternary-dense.js";

export const coreKinds: LayerKind[] = [
  InputLayer,
  Dense,
  EinsumDense,
  Embedding,
  ReversibleEmbedding,
  TernaryDense,
  Identity,
  Masking,
  Lambda,
];
