/**
 * The part of rich (the Python library Keras 3 prints summaries with) that `model.summary()` uses:
 * `Table(*columns, width=line_length, show_lines=True)` with the default `box.HEAVY_HEAD`, cells padded
 * by one space each side, words wrapped, and a word longer than its column cut with "…" (rich's
 * default `overflow="ellipsis"`). Plain text only: no styles, no markup.
 */

export type Justify = "left" | "right" | "center";

export interface TableColumn {
  header: string;
  /** The width Keras asks for (without padding). */
  width: number;
  justify: Justify;
}

/** `box.HEAVY_HEAD`: heavy lines around the header, light ones around the rows. */
const BOX = {
  top: ["┏", "━", "┳", "┓"],
  head: ["┃", "┃", "┃"],
  headRow: ["┡", "━", "╇", "┩"],
  mid: ["│", "│", "│"],
  row: ["├", "─", "┼", "┤"],
  foot: ["│", "│", "│"],
  bottom: ["└", "─", "┴", "┘"],
} as const;

const PADDING = 1;

/**
 * Renders the table as rich does when it is given a total `width`: every column is fixed-width, so rich
 * removes the borders and the padding from the columns evenly (`ratio_reduce`), whatever the widths
 * asked for. Returns the lines without line breaks.
 */
export function renderTable(columns: TableColumn[], rows: string[][], width: number): string[] {
  const widths = columnWidths(columns, width);
  const line = (left: string, fill: string, cross: string, right: string) =>
    left + widths.map((w) => fill.repeat(w)).join(cross) + right;
  const out = [line(...BOX.top)];
  const all = [columns.map((c) => c.header), ...rows];
  all.forEach((cells, index) => {
    const first = index === 0;
    const last = index === all.length - 1;
    const [left, divider, right] = first ? BOX.head : last ? BOX.foot : BOX.mid;
    const rendered = cells.map((cell, i) => renderCell(cell, widths[i]!, columns[i]!.justify));
    const height = Math.max(1, ...rendered.map((c) => c.length));
    for (let n = 0; n < height; n++) {
      out.push(left + rendered.map((c, i) => c[n] ?? " ".repeat(widths[i]!)).join(divider) + right);
    }
    if (first) out.push(line(...BOX.headRow));
    else if (!last) out.push(line(...BOX.row));
  });
  out.push(line(...BOX.bottom));
  return out;
}

/** rich's `Table._calculate_column_widths` for fixed-width columns: widths with padding, without borders. */
export function columnWidths(columns: TableColumn[], tableWidth: number): number[] {
  const borders = columns.length + 1;
  const available = tableWidth - borders;
  let widths = columns.map((c) => Math.min(c.width + 2 * PADDING, available));
  const total = widths.reduce((a, b) => a + b, 0);
  if (total > available) widths = ratioReduce(total - available, widths);
  return widths.map((w) => Math.max(0, Math.min(w, available)));
}

/** rich's `ratio_reduce(total, [1] * n, widths, widths)`: takes `excess` off the widths as evenly as it can. */
function ratioReduce(excess: number, widths: number[]): number[] {
  let remaining = excess;
  let ratioLeft = widths.filter((w) => w > 0).length;
  return widths.map((w) => {
    if (w <= 0 || ratioLeft <= 0) return w;
    const distributed = Math.min(w, pythonRound(remaining / ratioLeft));
    remaining -= distributed;
    ratioLeft -= 1;
    return w - distributed;
  });
}

/** Python's `round(x)`: halves go to the even neighbour. */
export function pythonRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** One cell's lines, each exactly `width` cells wide (padding included). */
function renderCell(text: string, width: number, justify: Justify): string[] {
  const inner = width - 2 * PADDING;
  if (inner <= 0) return [" ".repeat(Math.max(0, width))];
  const pad = " ".repeat(PADDING);
  return wrapText(text, inner, justify).map((l) => pad + l + pad);
}

/**
 * rich's `Text.wrap(width, justify, overflow="ellipsis")`: split at line breaks, break each line
 * between words (`divide_line` without folding), then justify and cut what is still too long.
 */
export function wrapText(text: string, width: number, justify: Justify): string[] {
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    const breaks = divideLine(paragraph, width);
    const bounds = [0, ...breaks, paragraph.length];
    for (let i = 0; i + 1 < bounds.length; i++) {
      let line = rstripEnd(paragraph.slice(bounds[i], bounds[i + 1]), width);
      if (justify === "left") {
        line = truncate(line, width);
        line += " ".repeat(Math.max(0, width - cellLength(line)));
      } else {
        line = truncate(line.replace(/\s+$/, ""), width);
        const space = width - cellLength(line);
        const left = justify === "right" ? space : Math.floor(space / 2);
        line = " ".repeat(left) + line;
        line += " ".repeat(Math.max(0, width - cellLength(line)));
      }
      out.push(line);
    }
  }
  return out;
}

/** rich's `divide_line(text, width, fold=False)`: offsets where a new line starts. */
function divideLine(text: string, width: number): number[] {
  const breaks: number[] = [];
  let offset = 0;
  for (const match of text.matchAll(/\s*\S+\s*/g)) {
    const start = match.index;
    const word = match[0];
    const wordLength = cellLength(word.replace(/\s+$/, ""));
    if (width - offset >= wordLength) {
      offset += cellLength(word);
    } else if (wordLength > width) {
      // Too long for any line: it goes on a line of its own and is cut there.
      if (start) breaks.push(start);
      offset = cellLength(word);
    } else if (offset && start) {
      breaks.push(start);
      offset = cellLength(word);
    }
  }
  return breaks;
}

/** rich's `Text.rstrip_end(size)`: drops trailing whitespace, but only the part beyond `size`. */
function rstripEnd(line: string, size: number): string {
  const length = [...line].length;
  if (length <= size) return line;
  const trailing = /\s+$/.exec(line)?.[0].length ?? 0;
  return line.slice(0, line.length - Math.min(trailing, length - size));
}

/** rich's `Text.truncate(width, overflow="ellipsis")`. */
function truncate(line: string, width: number): string {
  if (cellLength(line) <= width) return line;
  return setCellSize(line, width - 1) + "…";
}

/** rich's `set_cell_size`: cut or pad to exactly `size` cells (a cut wide character becomes a space). */
function setCellSize(text: string, size: number): string {
  let out = "";
  let used = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (used + w > size) break;
    out += ch;
    used += w;
  }
  return out + " ".repeat(size - used);
}

/** Terminal cells a string takes (rich's `cell_len`). */
export function cellLength(text: string): number {
  let n = 0;
  for (const ch of text) n += charWidth(ch);
  return n;
}

/** 2 for East Asian wide and fullwidth characters, 0 for combining marks, else 1 (rich's cell widths, roughly). */
function charWidth(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (c < 0x300) return 1;
  if ((c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f) || (c >= 0xfe00 && c <= 0xfe0f)) return 0;
  if (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf && c !== 0x303f) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1faff) ||
    (c >= 0x20000 && c <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}
