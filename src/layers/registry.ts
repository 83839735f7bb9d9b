import { UnsupportedLayerError } from "../ir/errors.js";
import type { KindResolver, LayerKind } from "../ir/kind.js";

/**
 * Layer kinds by Keras class name. The built-in catalog fills the default registry; a user registers a
 * custom kind under its class name (and, for Keras 3 files, its `registered_name` "package>Name").
 */
export class LayerRegistry {
  private readonly kinds = new Map<string, LayerKind>();

  constructor(private readonly parent?: LayerRegistry) {}

  /**
   * Registers a kind under its class name and aliases, and under a Keras 3 `registered_name` if given.
   * An operation kind (`module: "keras.src.ops.numpy"`) is registered under its module only, so that the
   * `Add` operation and the `Add` layer stay apart.
   */
  register(kind: LayerKind, options: { registeredName?: string; module?: string } = {}): LayerKind {
    if (options.module) {
      for (const name of [kind.className, ...(kind.aliases ?? [])]) this.kinds.set(`${options.module}.${name}`, kind);
      return kind;
    }
    for (const name of [kind.className, ...(kind.aliases ?? []), options.registeredName]) {
      if (name) this.kinds.set(name, kind);
    }
    return kind;
  }

  get(className: string, registeredName?: string | null, module?: string | null): LayerKind | undefined {
    if (typeof module === "string" && module.startsWith("keras.src.ops")) {
      return this.kinds.get(`${module}.${className}`) ?? this.parent?.get(className, registeredName, module);
    }
    return (
      (registeredName ? this.kinds.get(registeredName) : undefined) ??
      this.kinds.get(className) ??
      this.parent?.get(className, registeredName, module)
    );
  }

  classNames(): string[] {
    return [...new Set([...(this.parent?.classNames() ?? []), ...this.kinds.keys()])].sort();
  }

  /** A child registry: customs registered on it do not leak into this one. */
  extend(): LayerRegistry {
    return new LayerRegistry(this);
  }

  /** The resolver the IR uses; unknown classes raise UnsupportedLayerError naming class and layer. */
  resolver(file?: string): KindResolver {
    return (className, where) => {
      const kind = this.get(className, where?.registeredName, where?.module);
      if (kind) return kind;
      if (typeof where?.module === "string" && where.module.startsWith("keras.src.ops")) {
        throw new UnsupportedLayerError(
          className,
          `layer '${where.layer ?? "?"}' is the Keras operation ${where.module}.${className}, which kerasgraph does not know yet.`,
          { file },
        );
      }
      const registered =
        where?.registeredName && where.registeredName !== className
          ? ` (registered_name '${where.registeredName}')`
          : "";
      throw new UnsupportedLayerError(
        className,
        `layer '${where?.layer ?? "?"}' has class '${className}'${registered}, which is not a Keras layer kerasgraph knows. ` +
          `If it is a custom layer, register a kind for it first: registerLayerKind({ className: "${className}", defaults: {...}, outputs: (ctx) => [...], weights: (ctx) => [...] }).`,
        { file },
      );
    };
  }
}

/** The registry every reader uses unless given another. */
export const defaultRegistry = new LayerRegistry();

/** Registers a custom layer kind in the default registry. */
export function registerLayerKind(kind: LayerKind, options: { registeredName?: string } = {}): LayerKind {
  return defaultRegistry.register(kind, options);
}
