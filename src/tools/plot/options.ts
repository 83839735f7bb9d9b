import { KerasGraphError } from "../../ir/errors.js";

/**
 * The options of Keras 3's `keras.utils.model_to_dot` / `plot_model`
 * (keras/src/utils/model_visualization.py), in camelCase; defaults are `model_to_dot`'s.
 */
export interface DotOptions {
  /** Input and output shapes under each layer (`show_shapes`, default false). */
  showShapes?: boolean;
  /** The output dtype under each layer (`show_dtype`, default false). */
  showDtype?: boolean;
  /** `name (Class)` in each header rather than the class alone (`show_layer_names`, default true). */
  showLayerNames?: boolean;
  /** An "Activation:" row for layers that have an activation (`show_layer_activations`, default false). */
  showLayerActivations?: boolean;
  /** A Trainable / Non-trainable cell for layers with weights (`show_trainable`, default false). */
  showTrainable?: boolean;
  /** Draw the layers of nested models inside dashed clusters (`expand_nested`, default false). */
  expandNested?: boolean;
  /** "TB" (top to bottom, the default) or "LR" (left to right). */
  rankdir?: "TB" | "LR";
  /** Resolution of the drawing in dots per inch (default 200): scales the SVG and sets the PNG's pixels. */
  dpi?: number;
  /** How edges are routed (Graphviz `splines`; Keras's default "ortho": right-angle lines). */
  splines?: string;
}

export type ResolvedDotOptions = Required<DotOptions>;

export const DOT_DEFAULTS: ResolvedDotOptions = {
  showShapes: false,
  showDtype: false,
  showLayerNames: true,
  showLayerActivations: false,
  showTrainable: false,
  expandNested: false,
  rankdir: "TB",
  dpi: 200,
  splines: "ortho",
};

/** The values Graphviz accepts for `splines` (Keras passes any of them through). */
const SPLINES = ["ortho", "spline", "true", "polyline", "line", "false", "curved", "none", ""];

/**
 * Checks the options as Keras's `model_to_dot` does (an unknown keyword is an error, not ignored) and
 * fills in the defaults. `extraKeys` are further keys the caller handles itself (plotModel's `format`).
 */
export function resolveDotOptions(options: object, extraKeys: readonly string[] = []): ResolvedDotOptions {
  const given = options as Record<string, unknown>;
  const unknown = Object.keys(given).filter((k) => !(k in DOT_DEFAULTS) && !extraKeys.includes(k));
  if (unknown.length) {
    throw new KerasGraphError(
      `plot: unrecognized option${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `'${k}'`).join(", ")}; ` +
        `known: ${[...Object.keys(DOT_DEFAULTS), ...extraKeys].join(", ")}. Received: ${JSON.stringify(options)}`,
    );
  }
  const out = { ...DOT_DEFAULTS };
  for (const key of Object.keys(DOT_DEFAULTS) as (keyof ResolvedDotOptions)[]) {
    const value = given[key];
    if (value === undefined) continue;
    if (typeof value !== typeof DOT_DEFAULTS[key]) {
      throw new KerasGraphError(
        `plot: option '${key}' must be a ${typeof DOT_DEFAULTS[key]}. Received: ${key}=${JSON.stringify(value)}`,
      );
    }
    (out as Record<string, unknown>)[key] = value;
  }
  if (out.rankdir !== "TB" && out.rankdir !== "LR") {
    throw new KerasGraphError(`plot: rankdir must be "TB" or "LR". Received: rankdir=${JSON.stringify(out.rankdir)}`);
  }
  if (!Number.isFinite(out.dpi) || out.dpi <= 0 || out.dpi > 2400) {
    throw new KerasGraphError(`plot: dpi must be a number above 0 and at most 2400. Received: dpi=${out.dpi}`);
  }
  if (!SPLINES.includes(out.splines)) {
    throw new KerasGraphError(
      `plot: splines must be one of ${SPLINES.filter(Boolean).join(", ")}. Received: splines=${JSON.stringify(out.splines)}`,
    );
  }
  return out;
}
