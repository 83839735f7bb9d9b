/**
 * Pan (drag) and zoom (wheel, around the pointer) for a picture inside a clipping container, by a CSS
 * transform on the picture. A press that moves less than a few pixels stays a click.
 */
export class PanZoom {
  private x = 0;
  private y = 0;
  private scale = 1;
  private drag: { x: number; y: number; moved: boolean } | null = null;
  /** True right after a drag, so the click that ends it does not select a layer. */
  suppressClick = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly content: () => SVGSVGElement | null,
  ) {
    container.addEventListener("wheel", (e) => this.onWheel(e), { passive: false });
    container.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      this.drag = { x: e.clientX, y: e.clientY, moved: false };
    });
    window.addEventListener("pointermove", (e) => this.onMove(e));
    window.addEventListener("pointerup", () => {
      this.suppressClick = !!this.drag?.moved;
      this.drag = null;
      this.container.classList.remove("panning");
    });
  }

  /** Scales the picture to fit the container (at most 1:1) and centers it. */
  fit(): void {
    const svg = this.content();
    if (!svg) return;
    const { width, height } = size(svg);
    const box = this.container.getBoundingClientRect();
    this.scale = Math.min(1, (box.width - 16) / width, (box.height - 16) / height);
    if (!(this.scale > 0)) this.scale = 1;
    this.x = (box.width - width * this.scale) / 2;
    this.y = Math.max(8, (box.height - height * this.scale) / 2);
    this.apply();
  }

  zoomBy(factor: number, at?: { x: number; y: number }): void {
    const box = this.container.getBoundingClientRect();
    const px = at ? at.x - box.left : box.width / 2;
    const py = at ? at.y - box.top : box.height / 2;
    const next = Math.min(8, Math.max(0.02, this.scale * factor));
    this.x = px - ((px - this.x) * next) / this.scale;
    this.y = py - ((py - this.y) * next) / this.scale;
    this.scale = next;
    this.apply();
  }

  /** Moves the view so that a point of the picture (in its own pixels) is in the middle. */
  centerOn(px: number, py: number): void {
    const box = this.container.getBoundingClientRect();
    this.x = box.width / 2 - px * this.scale;
    this.y = box.height / 2 - py * this.scale;
    this.apply();
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    this.zoomBy(Math.exp(-e.deltaY * 0.0015), { x: e.clientX, y: e.clientY });
  }

  private onMove(e: PointerEvent): void {
    if (!this.drag) return;
    const dx = e.clientX - this.drag.x;
    const dy = e.clientY - this.drag.y;
    if (!this.drag.moved && Math.hypot(dx, dy) < 4) return;
    this.drag.moved = true;
    this.container.classList.add("panning");
    this.x += dx;
    this.y += dy;
    this.drag.x = e.clientX;
    this.drag.y = e.clientY;
    this.apply();
  }

  private apply(): void {
    const svg = this.content();
    if (svg) svg.style.transform = `translate(${this.x}px, ${this.y}px) scale(${this.scale})`;
  }
}

/** The picture's own size in pixels (its viewBox, as Graphviz writes it). */
export function size(svg: SVGSVGElement): { width: number; height: number } {
  const vb = svg.viewBox.baseVal;
  return vb && vb.width ? { width: vb.width, height: vb.height } : { width: 800, height: 600 };
}
