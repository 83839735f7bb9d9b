import { byId } from "./element.js";
import { LayoutClient } from "./layout-client.js";
import { PanZoom, size } from "./pan-zoom.js";

/**
 * The model's diagram: DOT laid out by Graphviz (WebAssembly, in a worker) as SVG, with pan and zoom.
 * Every node carries `data-layer` (its DOT id: the layer's name, or `outer/inner` in nested models);
 * clicking one selects it.
 */
export class DiagramPanel {
  private readonly host = byId("diagram");
  private readonly view: PanZoom;
  private readonly graphviz = new LayoutClient();

  constructor(private readonly onSelect: (layer: string) => void) {
    this.view = new PanZoom(this.host, () => this.host.querySelector("svg"));
    this.host.addEventListener("keydown", (e) => {
      const id = (e.target as Element).closest("g.node")?.getAttribute("data-layer");
      if (id && e.key === "Enter") this.onSelect(id);
    });
    this.host.addEventListener("click", (e) => {
      if (this.view.suppressClick) return;
      const node = (e.target as Element).closest("g.node");
      const id = node?.getAttribute("data-layer");
      if (id) this.onSelect(id);
    });
    byId("zoom-in").addEventListener("click", () => this.view.zoomBy(1.25));
    byId("zoom-out").addEventListener("click", () => this.view.zoomBy(0.8));
    byId("zoom-fit").addEventListener("click", () => this.view.fit());
  }

  /** Lays out and shows the DOT; returns how many nodes it drew and how long Graphviz took. */
  async show(dot: string): Promise<{ nodes: number; layoutMs: number }> {
    const started = performance.now();
    const svgText = await this.graphviz.layout(dot);
    const layoutMs = performance.now() - started;
    // The HTML parser takes Graphviz's SVG in place (its XML prologue becomes a comment): no second copy.
    this.host.innerHTML = svgText.slice(svgText.indexOf("<svg"));
    const svg = this.host.querySelector("svg")!;
    const { width, height } = size(svg);
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    const nodes = [...svg.querySelectorAll("g.node")];
    for (const node of nodes) {
      const title = node.querySelector("title")?.textContent ?? "";
      node.setAttribute("data-layer", title);
      node.setAttribute("tabindex", "0");
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", `layer ${title}`);
    }
    this.view.fit();
    return { nodes: nodes.length, layoutMs };
  }

  clear(message: string): void {
    const p = document.createElement("p");
    p.className = "placeholder";
    p.textContent = message;
    this.host.replaceChildren(p);
  }

  /** Marks a node as selected and brings it into view. */
  select(layer: string | null): void {
    let found: SVGGraphicsElement | null = null;
    this.host.querySelectorAll("g.node").forEach((n) => {
      const on = n.getAttribute("data-layer") === layer;
      n.classList.toggle("selected", on);
      if (on) found = n as SVGGraphicsElement;
    });
    if (!found) return;
    const node = found as SVGGraphicsElement;
    const box = node.getBBox();
    const ctm = node.getCTM();
    if (!ctm) return;
    // The node's center in the SVG's own pixels (its size is its viewBox, so user units are pixels).
    const center = new DOMPoint(box.x + box.width / 2, box.y + box.height / 2).matrixTransform(ctm);
    this.centerIfHidden(node, center.x, center.y);
  }

  private centerIfHidden(node: Element, px: number, py: number): void {
    const r = node.getBoundingClientRect();
    const box = this.host.getBoundingClientRect();
    const visible = r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
    if (!visible) this.view.centerOn(px, py);
  }
}
