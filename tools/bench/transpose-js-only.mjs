// Preload for A/B runs of the conversion benchmark with the JS transposes only (the WebAssembly kernel
// switched off), in its children too:
//   NODE_OPTIONS="--import ./tools/bench/transpose-js-only.mjs" node --import tsx tools/bench/convert.ts
// NODE_OPTIONS' imports run before the command line's, so this loads h5wasm natively first (as
// preload-h5wasm.mjs does) and registers tsx itself to import the TypeScript switch.
await import("h5wasm/node");
const { register } = await import("tsx/esm/api");
register();
const { setWasmTransposeEnabled } = await import("../../src/formats/transpose/transpose.ts");
setWasmTransposeEnabled(false);
