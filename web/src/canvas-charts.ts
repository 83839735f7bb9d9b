import { valueStats } from "./value-stats.js";

const BAR = "#3b6fb6";
const AXIS = "#888";

/** A canvas drawn at the screen's pixel density, `width`×`height` CSS pixels. */
export function chartCanvas(
  width: number,
  height: number,
): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = document.createElement("canvas");
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d")!;
  ctx.scale(ratio, ratio);
  return { canvas, ctx };
}

/** A histogram of the values (finite ones), `bins` bars between their min and max, with both ends labeled. */
export function histogram(values: ArrayLike<number>, width = 360, height = 90, bins = 40): HTMLCanvasElement {
  const { canvas, ctx } = chartCanvas(width, height);
  const { min, max } = valueStats(values);
  const counts = new Array<number>(bins).fill(0);
  const span = max - min || 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor(((v - min) / span) * bins))]!++;
  }
  const top = Math.max(...counts, 1);
  const plotH = height - 16;
  const barW = width / bins;
  ctx.fillStyle = BAR;
  counts.forEach((c, i) => {
    const h = (c / top) * (plotH - 2);
    ctx.fillRect(i * barW + 0.5, plotH - h, Math.max(1, barW - 1), h);
  });
  axisLabels(ctx, width, height, min, max);
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `histogram of ${values.length} values from ${min} to ${max}`);
  return canvas;
}

/** One bar per value (a vector activation), around a zero line when values have both signs. */
export function barChart(values: ArrayLike<number>, width = 360, height = 120): HTMLCanvasElement {
  const { canvas, ctx } = chartCanvas(width, height);
  const { min, max } = valueStats(values);
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  const span = hi - lo || 1;
  const plotH = height - 16;
  const y = (v: number) => plotH - ((v - lo) / span) * (plotH - 2);
  const barW = width / Math.max(1, values.length);
  ctx.fillStyle = BAR;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const y0 = y(0);
    const y1 = y(v);
    ctx.fillRect(i * barW, Math.min(y0, y1), Math.max(0.5, barW - (barW > 3 ? 1 : 0)), Math.max(1, Math.abs(y1 - y0)));
  }
  ctx.strokeStyle = AXIS;
  ctx.beginPath();
  ctx.moveTo(0, y(0));
  ctx.lineTo(width, y(0));
  ctx.stroke();
  axisLabels(ctx, width, height, lo, hi, `${values.length} values`);
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `bar chart of ${values.length} values`);
  return canvas;
}

function axisLabels(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  lo: number,
  hi: number,
  middle?: string,
): void {
  ctx.fillStyle = "#333";
  ctx.font = "11px system-ui, sans-serif";
  ctx.textBaseline = "bottom";
  ctx.textAlign = "left";
  ctx.fillText(short(lo), 0, height);
  ctx.textAlign = "right";
  ctx.fillText(short(hi), width, height);
  if (middle) {
    ctx.textAlign = "center";
    ctx.fillText(middle, width / 2, height);
  }
}

function short(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : String(v);
}
