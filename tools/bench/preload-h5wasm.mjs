// Loads h5wasm natively before tsx registers its loader, which would otherwise transpile h5wasm's
// 4 MB module on import (seconds, and hundreds of MB of memory) and distort the measurement.
await import("h5wasm/node");
