import { Layer as IrLayer } from "../../ir/graph.js";
import { Layer, type LayerOptions } from "../layer.js";
import type { KerasObjectJson } from "../serialize/keras-object.js";
import { currentSession } from "../session.js";
import { buildLayerConfig } from "./layer-config.js";

/**
 * A layer of the built-in catalog (`layers.Dense(64, {activation: "relu"})`): its config is Keras 3's
 * full `get_config()`, made once from the arguments, and its kind (src/layers) computes shapes and
 * weights on every call.
 */
export class BuiltinLayer extends Layer {
  static builtin = true;

  /** `new BuiltinLayer("Dense", [64, {activation: "relu"}])`, or a wrapper of an IR layer read from a file. */
  constructor(source: string | IrLayer, args: unknown[] = []) {
    if (source instanceof IrLayer) {
      super({ name: source.name });
      this.bind(source);
      return;
    }
    const last = args.at(-1) as (LayerOptions & Record<string, unknown>) | undefined;
    const session = last?.session ?? currentSession();
    if (last?.session) args = [...args.slice(0, -1), { ...last, session: undefined }];
    const { kind, name, config } = buildLayerConfig(source, args, session, serializeNested);
    super({ name, session });
    this.bind(new IrLayer(kind.className, name, config));
  }

  override get className(): string {
    return this.ir.className;
  }
}

/** A layer given as an argument (TimeDistributed's `layer`), as `serialize_keras_object` writes it. */
export function serializeNested(value: unknown): KerasObjectJson | undefined {
  if (!(value instanceof Layer)) return undefined;
  const custom = value.isCustom();
  return {
    module: custom ? (null as unknown as string) : "keras.layers",
    class_name: value.className,
    config: value.getConfig(),
    registered_name: custom ? (value.ir.meta.registeredName ?? value.className) : null,
  };
}
