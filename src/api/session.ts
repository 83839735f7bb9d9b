/**
 * Keras's per-session state, kept in one explicit object instead of hidden module variables: the
 * counters behind automatic names (`dense`, `dense_1`, ...; Keras's `object_name_uids`), the default
 * float type (`keras.config.floatx()`) and the seed behind fresh weights.
 *
 * Layers, inputs and models made without a `session` option use the current session, which is
 * `defaultSession` unless `KerasSession.run` made another current. `clearSession()` resets the
 * current one, as `keras.backend.clear_session()` does; each guide example starts with it, as the
 * Keras script that made the fixtures did.
 */
export class KerasSession {
  private uids = new Map<string, number>();
  /** `keras.config.floatx()`: the dtype of inputs and layers that name none. */
  floatx = "float32";
  private seedCounter = 0;

  constructor(
    /** Seed of the weights that layers made in this session start with (see `nextSeed`). */
    public seed = 1337,
  ) {}

  /** Keras's `uniquify`: `name` the first time, then `name_1`, `name_2`, ... (explicit names are not counted). */
  uniquify(name: string): string {
    const n = this.uids.get(name) ?? 0;
    this.uids.set(name, n + 1);
    return n === 0 ? name : `${name}_${n}`;
  }

  /** Keras's `auto_name(ClassName)`: the class name in snake case, made unique. */
  autoName(className: string): string {
    return this.uniquify(toSnakeCase(className));
  }

  /** A new seed for one weight's initial values, so a session builds the same values every run. */
  nextSeed(): number {
    return (this.seed * 1_000_003 + ++this.seedCounter * 7919) >>> 0;
  }

  /** Forgets every name and restarts the seed sequence (`keras.backend.clear_session()`). */
  clear(): void {
    this.uids = new Map();
    this.seedCounter = 0;
  }

  /** Runs `fn` with this session current, then restores the previous one. */
  run<T>(fn: () => T): T {
    const previous = current;
    makeCurrent(this);
    try {
      return fn();
    } finally {
      makeCurrent(previous);
    }
  }
}

/** The session used when no other is current. */
export const defaultSession = new KerasSession();
let current = defaultSession;

function makeCurrent(session: KerasSession): void {
  current = session;
}

/** The session new layers, inputs and models take their names from. */
export function currentSession(): KerasSession {
  return current;
}

/** `keras.backend.clear_session()`: automatic names start again from `dense`, `input_layer`, ... */
export function clearSession(): void {
  current.clear();
}

/** Keras 3's `to_snake_case`: "Conv2DTranspose" → "conv2d_transpose", "CustomDense" → "custom_dense". */
export function toSnakeCase(name: string): string {
  const s = name.replace(/\W+/g, "").replace(/(.)([A-Z][a-z]+)/g, "$1_$2");
  return s.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}
