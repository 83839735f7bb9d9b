export { modelToDot, quoteId } from "./model-to-dot.js";
export { layerLabel, activationName } from "./label.js";
export { DOT_DEFAULTS, resolveDotOptions, type DotOptions, type ResolvedDotOptions } from "./options.js";
export { plotModel, PLOT_FORMATS, type PlotFormat, type PlotOptions } from "./plot-model.js";
export { dotToSvg, graphvizVersion } from "./render-svg.js";
