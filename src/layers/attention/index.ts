import type { LayerKind } from "../../ir/kind.js";
import { AdditiveAttention } from "./additive-attention.js";
import { Attention } from "./attention.js";
import { GroupedQueryAttention } from "./grouped-query-attention.js";
import { MultiHeadAttention } from "./multi-head-attention.js";

export const attentionKinds: LayerKind[] = [Attention, AdditiveAttention, MultiHeadAttention, GroupedQueryAttention];
