/** Keras's registered names of custom classes (`package>Name`), set by `registerLayer`. */
const registeredNames = new WeakMap<object, string>();

export function setRegisteredName(cls: object, name: string): void {
  registeredNames.set(cls, name);
}

export function registeredNameOf(cls: object): string | undefined {
  return registeredNames.get(cls);
}
