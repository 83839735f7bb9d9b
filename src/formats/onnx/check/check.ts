import type { OnnxModel, OnnxTensor } from "../model.js";
import { ELEMENT_BYTES, defaultOpset, irVersionForOpset } from "../model.js";
import { ATTRIBUTE_SINCE, INPUTS_BEFORE, SCHEMAS, axesInputSince } from "./schemas.js";
import { DeferredTensor } from "../deferred.js";
import { type StaticShape, inferShapes } from "./shapes.js";

/**
 * Checks a model against the ONNX rules that can be checked without onnx's C++ checker: the opset
 * and IR version, SSA naming and topological order, every op's existence at the model's opset, its
 * input/output counts and attribute types, element types through the graph, and static shapes (Conv,
 * MatMul, Reshape, RNN weights, ...) up to the declared output shapes. Returns the violations found
 * (empty = valid), each naming the node.
 */
export function checkOnnxModel(model: OnnxModel): string[] {
  const issues: string[] = [];
  const opset = defaultOpset(model);
  if (opset === 0) issues.push("the model imports no default-domain opset");
  if (model.irVersion < irVersionForOpset(opset)) {
    issues.push(`IR version ${model.irVersion} is older than opset ${opset} needs (${irVersionForOpset(opset)})`);
  }
  const g = model.graph;
  const types = new Map<string, number | undefined>();
  const shapes = new Map<string, StaticShape>();
  const constants = new Map<string, OnnxTensor>();
  const define = (name: string, what: string, type: number | undefined, shape: StaticShape) => {
    if (types.has(name)) issues.push(`value '${name}' is defined twice (${what}); ONNX values are assigned once`);
    types.set(name, type);
    shapes.set(name, shape);
  };
  for (const t of g.initializers) {
    define(t.name, "initializer", t.dataType, t.dims);
    constants.set(t.name, t);
    // A deferred initializer's values are computed for the check and not kept.
    const data = t instanceof DeferredTensor ? t.load() : t.data;
    const n = t.dims.reduce((a, b) => a * b, 1);
    if (data.length !== n)
      issues.push(`initializer '${t.name}' has ${data.length} values for dims (${t.dims.join(", ")})`);
    if (ELEMENT_BYTES[t.dataType] !== undefined && data.BYTES_PER_ELEMENT !== ELEMENT_BYTES[t.dataType]) {
      issues.push(`initializer '${t.name}' holds ${data.BYTES_PER_ELEMENT}-byte values for element type ${t.dataType}`);
    }
  }
  for (const v of g.inputs) {
    if (!constants.has(v.name))
      define(v.name, "graph input", v.elemType, v.shape?.map((d) => (typeof d === "number" ? d : null)) ?? null);
  }
  const nodeNames = new Set<string>();
  for (const n of g.nodes) {
    const where = `node '${n.name}' (${n.opType})`;
    if (nodeNames.has(n.name)) issues.push(`${where}: node names must be unique`);
    nodeNames.add(n.name);
    for (const v of n.inputs)
      if (v && !types.has(v)) issues.push(`${where}: input '${v}' is not defined before it is used`);
    const s = SCHEMAS[n.opType];
    if (n.domain && n.domain !== "ai.onnx") {
      issues.push(`${where}: domain '${n.domain}' is not imported`);
      continue;
    }
    if (!s) {
      issues.push(`${where}: op is not one the checker knows`);
      n.outputs.forEach((o) => define(o, where, undefined, null));
      continue;
    }
    if (s.since > opset) issues.push(`${where}: the op exists from opset ${s.since}; the model's opset is ${opset}`);
    const given = n.inputs.length;
    if (given < s.inputs[0] || given > s.inputs[1])
      issues.push(`${where}: takes ${s.inputs[0]}–${s.inputs[1]} inputs, has ${given}`);
    const before = INPUTS_BEFORE[n.opType];
    if (before && opset < before[0] && given > before[1])
      issues.push(`${where}: more than ${before[1]} inputs need opset ${before[0]}`);
    if (n.outputs.length < s.outputs[0] || n.outputs.length > s.outputs[1])
      issues.push(`${where}: has ${n.outputs.length} outputs`);
    for (const [k, a] of Object.entries(n.attributes)) {
      const want = s.attrs[k];
      if (!want) issues.push(`${where}: unknown attribute '${k}'`);
      else if (want !== a.type) issues.push(`${where}: attribute '${k}' must be ${want}, is ${a.type}`);
      const since = ATTRIBUTE_SINCE[`${n.opType}.${k}`];
      if (since && opset < since) issues.push(`${where}: attribute '${k}' needs opset ${since}`);
    }
    const axesSince = axesInputSince(n.opType);
    if (axesSince !== undefined) {
      if (opset >= axesSince && n.attributes.axes)
        issues.push(`${where}: from opset ${axesSince} axes are an input, not an attribute`);
      if (opset < axesSince && n.inputs.length > 1)
        issues.push(`${where}: before opset ${axesSince} axes are an attribute`);
    }
    const attrValues = Object.fromEntries(Object.entries(n.attributes).map(([k, a]) => [k, a.value]));
    const inTypes = n.inputs.map((v) => (v ? types.get(v) : undefined));
    const outTypes = s.types(inTypes, attrValues);
    if (typeof outTypes === "string") issues.push(`${where}: ${outTypes}`);
    let outShapes: StaticShape[] = n.outputs.map(() => null);
    try {
      outShapes = inferShapes(
        n,
        n.inputs.map((v) => (v ? (shapes.get(v) ?? null) : null)),
        {
          shape: (v) => shapes.get(v) ?? null,
          constant: (v) => constants.get(v),
        },
      );
    } catch (e) {
      issues.push(`${where}: ${(e as Error).message}`);
    }
    n.outputs.forEach((o, i) => {
      if (o) define(o, where, typeof outTypes === "string" ? undefined : outTypes[i], outShapes[i] ?? null);
    });
  }
  for (const o of g.outputs) {
    if (!types.has(o.name)) {
      issues.push(`graph output '${o.name}' is not computed by the graph`);
      continue;
    }
    const t = types.get(o.name);
    if (t !== undefined && t !== o.elemType)
      issues.push(`graph output '${o.name}' is declared as type ${o.elemType} but computes ${t}`);
    const inferred = shapes.get(o.name);
    if (inferred && o.shape) {
      if (inferred.length !== o.shape.length) {
        issues.push(`graph output '${o.name}' is declared with rank ${o.shape.length} but has rank ${inferred.length}`);
      } else {
        o.shape.forEach((d, i) => {
          const got = inferred[i];
          if (typeof d === "number" && typeof got === "number" && d !== got) {
            issues.push(`graph output '${o.name}' dim ${i} is declared ${d} but is ${got}`);
          }
        });
      }
    }
  }
  return issues;
}
