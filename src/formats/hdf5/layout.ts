import {
  attributeMessages,
  Bytes,
  dataspace,
  datatype,
  encode,
  headerSize,
  L,
  type Message,
  O,
  pad8,
  storedType,
  textEncoder,
  UNDEF,
  writeHeader,
} from "./encoding.js";
import type { DatasetNode, GroupNode, H5Tree, Node } from "./tree.js";

/**
 * Where everything of an HDF5 file goes (writer.ts streams it): object headers, group B-trees, symbol
 * nodes and local heaps, the global heap of string attributes, then the datasets' values, laid out
 * before a byte is written, and the metadata block encoded from that layout.
 */

const INTERNAL_K = 16; // B-tree nodes hold up to 2K symbol nodes, as h5py's default
const SUPERBLOCK_SIZE = 96;

/** Where everything goes, decided before a byte is written. */
export interface Layout {
  leafK: number;
  size: number;
  metadataSize: number;
  headers: Map<Node, number>;
  groups: Map<
    GroupNode,
    { btree: number; heap: number; heapData: number; heapSize: number; names: Map<string, number>; snods: number[] }
  >;
  data: { node: DatasetNode; address: number; bytes: number }[];
  strings: Map<string, { collection: number; index: number }>;
  heapCollection: number;
  heapCollectionSize: number;
}

/** Every object's address and the datasets' places, h5py's way (symbol nodes of up to 2·leafK entries). */
export function plan(tree: H5Tree): Layout {
  const groups: GroupNode[] = [];
  const datasets: DatasetNode[] = [];
  const strings = new Set<string>();
  const visit = (node: GroupNode | DatasetNode) => {
    for (const a of node.attrs.values()) {
      if (a.kind === "text") strings.add(a.value);
      else if (a.kind === "texts" && !a.fixed) for (const v of a.values) strings.add(v);
    }
    if (node.kind === "dataset") {
      datasets.push(node);
      return;
    }
    groups.push(node);
    for (const name of sortedNames(node)) visit(node.children.get(name)!);
  };
  visit(tree.root);
  const most = Math.max(...groups.map((g) => g.children.size));
  const leafK = Math.max(4, Math.ceil(most / (2 * INTERNAL_K * 2)));

  let at = SUPERBLOCK_SIZE;
  const alloc = (size: number) => {
    const address = at;
    at += size;
    return address;
  };
  const layout: Layout = {
    leafK,
    size: 0,
    metadataSize: 0,
    headers: new Map(),
    groups: new Map(),
    data: [],
    strings: new Map(),
    heapCollection: 0,
    heapCollectionSize: 0,
  };
  for (const g of groups) {
    layout.headers.set(g, alloc(headerSize(groupMessages(g, null))));
    const names = new Map<string, number>();
    let heapSize = 8;
    for (const name of sortedNames(g)) {
      names.set(name, heapSize);
      heapSize += pad8(textEncoder.encode(name).length + 1);
    }
    heapSize += 16; // one free block, as HDF5 leaves
    const btree = alloc(8 + 2 * O + (2 * INTERNAL_K + 1) * L + 2 * INTERNAL_K * O);
    const heap = alloc(8 + 2 * L + O);
    const heapData = alloc(heapSize);
    const snodCount = Math.ceil(g.children.size / (2 * leafK));
    const snods = Array.from({ length: snodCount }, () => alloc(8 + 2 * leafK * (2 * O + 24)));
    layout.groups.set(g, { btree, heap, heapData, heapSize, names, snods });
  }
  for (const d of datasets) layout.headers.set(d, alloc(headerSize(datasetMessages(d, null, 0))));
  // One global heap collection for every string attribute (HDF5's minimum collection is 4 KiB).
  let used = 16;
  let index = 1;
  const stringList = [...strings];
  const collectionSize = Math.max(
    4096,
    pad8(16 + stringList.reduce((n, s) => n + 16 + pad8(textEncoder.encode(s).length), 0) + 16),
  );
  layout.heapCollection = stringList.length ? alloc(collectionSize) : 0;
  layout.heapCollectionSize = stringList.length ? collectionSize : 0;
  for (const s of stringList) {
    layout.strings.set(s, { collection: layout.heapCollection, index: index++ });
    used += 16 + pad8(textEncoder.encode(s).length);
  }
  void used;
  layout.metadataSize = at;
  for (const d of datasets) {
    const bytes = d.data.size * storedType(d.data).size;
    layout.data.push({ node: d, address: bytes ? alloc(bytes) : -1, bytes });
  }
  layout.size = at;
  return layout;
}

function sortedNames(g: GroupNode): string[] {
  return [...g.children.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** A group's messages: symbol table (B-tree, local heap) and its attributes. */
function groupMessages(g: GroupNode, layout: Layout | null): Message[] {
  const info = layout?.groups.get(g);
  const stab = encode(2 * O, (b) => {
    b.u64(info?.btree ?? 0);
    b.u64(info?.heap ?? 0);
  });
  return [[0x11, stab], ...attributeMessages(g.attrs, layout?.strings ?? null)];
}

function datasetMessages(d: DatasetNode, layout: Layout | null, address: number): Message[] {
  const t = storedType(d.data);
  const bytes = d.data.size * t.size;
  const layoutMsg = encode(2 + O + L, (b) => {
    b.u8(3);
    b.u8(1);
    b.u64(bytes ? address : UNDEF);
    b.u64(bytes);
  });
  return [
    [0x01, dataspace(d.data.shape)],
    [0x03, datatype(d.data)],
    [0x05, Uint8Array.of(2, 2, 2, 1, 0, 0, 0, 0)], // fill value v2: late allocation, default value
    [0x08, layoutMsg],
    ...attributeMessages(d.attrs, layout?.strings ?? null),
  ];
}

/** The metadata block (superblock, headers, B-trees, heaps) that comes before the datasets' bytes. */
export function encodeMetadata(tree: H5Tree, layout: Layout): Uint8Array {
  const out = new Bytes(layout.metadataSize);
  const root = layout.groups.get(tree.root)!;
  // Superblock version 0.
  out.bytes(Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a));
  out.bytes(Uint8Array.of(0, 0, 0, 0, 0, O, L, 0));
  out.u16(layout.leafK);
  out.u16(INTERNAL_K);
  out.u32(0);
  out.u64(0); // base address
  out.u64(UNDEF); // free-space info
  out.u64(layout.size); // end of file
  out.u64(UNDEF); // driver info
  symbolEntry(out, 0, layout.headers.get(tree.root)!, root);

  const dataAddress = new Map(layout.data.map((d) => [d.node, d.address]));
  for (const [node, address] of layout.headers) {
    if ((node as GroupNode).kind === "group") writeHeader(out, address, groupMessages(node as GroupNode, layout));
    else writeHeader(out, address, datasetMessages(node as DatasetNode, layout, dataAddress.get(node as DatasetNode)!));
  }
  for (const [g, info] of layout.groups) writeGroupIndex(out, g, info, layout);
  if (layout.heapCollection) {
    out.at = layout.heapCollection;
    out.ascii("GCOL");
    out.u8(1);
    out.zeros(3);
    out.u64(layout.heapCollectionSize);
    let used = 16;
    for (const [s, ref] of layout.strings) {
      const bytes = textEncoder.encode(s);
      out.u16(ref.index);
      out.u16(0);
      out.zeros(4);
      out.u64(bytes.length);
      out.bytes(bytes);
      out.zeros(pad8(bytes.length) - bytes.length);
      used += 16 + pad8(bytes.length);
    }
    out.u16(0); // the free space, as an object of index 0
    out.u16(0);
    out.zeros(4);
    out.u64(layout.heapCollectionSize - used);
  }
  return out.buf;
}

/** A symbol table entry: a group caches its B-tree and local heap addresses (cache type 1). */
function symbolEntry(out: Bytes, nameOffset: number, header: number, group?: { btree: number; heap: number }): void {
  out.u64(nameOffset);
  out.u64(header);
  out.u32(group ? 1 : 0);
  out.u32(0);
  out.u64(group?.btree ?? 0);
  out.u64(group?.heap ?? 0);
}

function writeGroupIndex(
  out: Bytes,
  g: GroupNode,
  info: NonNullable<ReturnType<Layout["groups"]["get"]>>,
  layout: Layout,
): void {
  const names = sortedNames(g);
  const perNode = Math.max(1, Math.ceil(names.length / info.snods.length));
  const chunks = info.snods.map((_, i) => names.slice(i * perNode, (i + 1) * perNode));
  // Local heap: "" at 0, each name null-terminated and padded, then one free block (next: none = 1).
  out.at = info.heap;
  out.ascii("HEAP");
  out.u8(0);
  out.zeros(3);
  out.u64(info.heapSize);
  out.u64(info.heapSize - 16);
  out.u64(info.heapData);
  for (const [name, offset] of info.names) {
    out.at = info.heapData + offset;
    out.bytes(textEncoder.encode(name));
  }
  out.at = info.heapData + info.heapSize - 16;
  out.u64(1);
  out.u64(16);
  // One B-tree node (level 0) over the symbol nodes; key i+1 is the last name of node i.
  out.at = info.btree;
  out.ascii("TREE");
  out.u8(0);
  out.u8(0);
  out.u16(chunks.length);
  out.u64(UNDEF);
  out.u64(UNDEF);
  out.u64(0);
  chunks.forEach((chunk, i) => {
    out.u64(info.snods[i]!);
    out.u64(chunk.length ? info.names.get(chunk.at(-1)!)! : 0);
  });
  chunks.forEach((chunk, i) => {
    out.at = info.snods[i]!;
    out.ascii("SNOD");
    out.u8(1);
    out.u8(0);
    out.u16(chunk.length);
    for (const name of chunk) {
      const child = g.children.get(name)!;
      symbolEntry(
        out,
        info.names.get(name)!,
        layout.headers.get(child)!,
        child.kind === "group" ? layout.groups.get(child) : undefined,
      );
    }
  });
}
