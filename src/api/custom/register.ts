import type { Emitter } from "../../formats/onnx/emitter.js";
import { FormatError } from "../../ir/errors.js";
import type { LayerKind } from "../../ir/kind.js";
import { type LayerRegistry, defaultRegistry } from "../../layers/registry.js";
import { registeredNameOf, setRegisteredName } from "./registered-names.js";
import { type LayerClass, customKind } from "./kind.js";

const kinds = new WeakMap<LayerClass, LayerKind>();
/** Which class each custom class name stands for in the default registry. */
const classesByName = new Map<string, LayerClass>();

export function classNameOf(cls: LayerClass): string {
  return cls.className ?? cls.name;
}

function kindOf(cls: LayerClass): LayerKind {
  let kind = kinds.get(cls);
  if (!kind) {
    kind = customKind(cls, classNameOf(cls));
    kinds.set(cls, kind);
  }
  return kind;
}

function claim(name: string, cls: LayerClass): void {
  const other = classesByName.get(name);
  if (other && other !== cls) {
    throw new FormatError(
      `another custom layer class is already known as '${name}'. Received: class ${cls.name}; give it another ` +
        `name with registerLayer(cls, { name }) or a static className.`,
    );
  }
  classesByName.set(name, cls);
}

/**
 * Keras's `@register_keras_serializable(package, name)`: makes a custom layer class known by its class
 * name and by Keras's registered name `"package>Name"`, which the configs it writes carry, so
 * `Model.fromConfig` and `loadModel` rebuild it without `customObjects`.
 */
export function registerLayer<T extends LayerClass>(
  cls: T,
  options: { package?: string; name?: string; onnx?: Emitter } = {},
): T {
  const name = options.name ?? classNameOf(cls);
  if (options.onnx) emitters.set(cls, options.onnx);
  const registered = `${options.package ?? "Custom"}>${name}`;
  claim(name, cls);
  claim(registered, cls);
  setRegisteredName(cls, registered);
  defaultRegistry.register(kindOf(cls), { registeredName: registered });
  return cls;
}

const emitters = new WeakMap<LayerClass, Emitter>();

/** The ONNX emitter of a custom class: `registerLayer`'s `onnx` option or the class's static `onnx`. */
export function onnxEmitterOf(cls: LayerClass): Emitter | undefined {
  return emitters.get(cls) ?? (cls as { onnx?: Emitter }).onnx;
}

/** Makes a custom class known by its class name when first used (Keras knows a class by the object itself). */
export function useLayerClass(cls: LayerClass): void {
  if (classesByName.get(classNameOf(cls)) === cls) return;
  claim(classNameOf(cls), cls);
  defaultRegistry.register(kindOf(cls), registeredNameOf(cls) ? { registeredName: registeredNameOf(cls)! } : {});
}

/** The class registered for a class name or `package>Name`, if any. */
export function layerClassNamed(name: string): LayerClass | undefined {
  return classesByName.get(name);
}

/**
 * A registry for reading a config with Keras's `custom_objects`: each class under the name it is given
 * there, its class name and its registered name.
 */
export function registryWithCustomObjects(customObjects: Record<string, LayerClass> = {}): LayerRegistry {
  const registry = defaultRegistry.extend();
  for (const [name, cls] of Object.entries(customObjects)) {
    const kind = kindOf(cls);
    registry.register(kind);
    registry.register({ ...kind, className: name }, { registeredName: registeredNameOf(cls) ?? name });
  }
  return registry;
}
