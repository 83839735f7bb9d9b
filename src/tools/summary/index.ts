export {
  summaryText,
  summaryJson,
  formatLayerShape,
  kerasClassName,
  type SummaryOptions,
  type SummaryJson,
} from "./summary.js";
export { readableMemorySize, formatCount } from "./numbers.js";
