import { defaultEmitters } from "../emitter.js";
import { activationsEmitters } from "./activations.js";
import { attentionEmitters } from "./attention.js";
import { audioEmitters } from "./audio.js";
import { convLstmEmitters } from "./conv-lstm.js";
import { convEmitters } from "./conv.js";
import { coreEmitters } from "./core.js";
import { imageEmitters } from "./image.js";
import { mergingEmitters } from "./merging.js";
import { normalizationEmitters } from "./normalization.js";
import { opsEmitters } from "./ops.js";
import { poolingEmitters } from "./pooling.js";
import { preprocessingEmitters } from "./preprocessing.js";
import { reshapingEmitters } from "./reshaping.js";
import { resizeEmitters } from "./resize.js";
import { rnnEmitters } from "./rnn.js";

/** Every built-in emitter, by family (the files mirror src/layers/ and keras/src/layers/). */
export const builtinEmitters = {
  ...coreEmitters,
  ...activationsEmitters,
  ...convEmitters,
  ...poolingEmitters,
  ...normalizationEmitters,
  ...mergingEmitters,
  ...reshapingEmitters,
  ...rnnEmitters,
  ...convLstmEmitters,
  ...attentionEmitters,
  ...preprocessingEmitters,
  ...imageEmitters,
  ...resizeEmitters,
  ...audioEmitters,
  ...opsEmitters,
};

defaultEmitters.registerAll(builtinEmitters);
