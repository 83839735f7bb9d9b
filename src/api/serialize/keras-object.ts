import { FormatError } from "../../ir/errors.js";

/** Keras 3's `serialize_keras_object` form of a built-in object (initializer, regularizer, dtype policy, ...). */
export interface KerasObjectJson {
  module: string;
  class_name: string;
  config: Record<string, unknown>;
  registered_name: string | null;
}

/** One built-in class of a Keras module: its config keys with their defaults, in `get_config` order. */
export interface KerasClassSpec {
  defaults: Record<string, unknown>;
  /** Keys `get_config` writes; by default every key of `defaults`. */
  writes?: readonly string[];
}

/**
 * A serializer for one Keras module of small objects (`keras.initializers`, `keras.regularizers`,
 * `keras.constraints`): accepts a name ("glorot_uniform", "GlorotUniform"), a `{className, config}` /
 * `{class_name, config}` object, or an already serialized object, and writes Keras 3's full form with
 * every key `get_config` writes.
 */
export class KerasObjectModule {
  /** Snake-case names ("glorot_uniform") of the classes. */
  private readonly bySnakeName: Map<string, string>;

  constructor(
    readonly module: string,
    /** What the messages call these objects: "initializer". */
    readonly what: string,
    private readonly classes: Record<string, KerasClassSpec>,
    /** Other names Keras accepts for a class (snake case names are derived). */
    private readonly aliases: Record<string, string> = {},
  ) {
    this.bySnakeName = new Map(Object.keys(classes).map((c) => [snake(c), c]));
  }

  /** The class a name stands for, or null. */
  resolve(name: string): string | null {
    if (this.classes[name]) return name;
    const alias = this.aliases[name];
    if (alias) return alias;
    return this.bySnakeName.get(name) ?? null;
  }

  classNames(): string[] {
    return Object.keys(this.classes);
  }

  /** Keras 3's serialized form; `where` names the layer and key in errors. */
  serialize(value: unknown, where: string): KerasObjectJson {
    let className: string | undefined;
    let config: Record<string, unknown> = {};
    if (typeof value === "string") className = value;
    else if (value && typeof value === "object" && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      const name = o.class_name ?? o.className;
      if (typeof name === "string") className = name;
      if (o.config && typeof o.config === "object") config = o.config as Record<string, unknown>;
    }
    const resolved = className === undefined ? null : this.resolve(className);
    if (!resolved) {
      throw new FormatError(
        `${where}: unknown ${this.what} ${JSON.stringify(value)}. ` +
          `Use one of ${this.classNames().map(snake).join(", ")}, or {className, config}.`,
      );
    }
    const spec = this.classes[resolved]!;
    const known = new Set(Object.keys(spec.defaults));
    const extra = Object.keys(config).filter((k) => !known.has(camelToSnake(k)));
    if (extra.length) {
      throw new FormatError(
        `${where}: ${resolved} takes ${[...known].join(", ") || "no arguments"}. Received: ${extra.join(", ")}`,
      );
    }
    const out: Record<string, unknown> = {};
    for (const key of spec.writes ?? Object.keys(spec.defaults)) {
      const given = config[key] ?? config[snakeToCamel(key)];
      out[key] = given === undefined ? spec.defaults[key] : given;
    }
    return { module: this.module, class_name: resolved, config: out, registered_name: null };
  }
}

/** "GlorotUniform" → "glorot_uniform", "L1L2" → "l1l2" (Keras's to_snake_case). */
function snake(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/** "useBias" → "use_bias": the camelCase option names of the TypeScript surface as Keras's keys. */
export function camelToSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
