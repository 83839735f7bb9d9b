#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`).
const { main } = await import("../dist/cli/main.js").catch((err) => {
  process.stderr.write(`kerasgraph: cannot load dist/cli/main.js (${err.message}). Run \`npm run build\` first.\n`);
  process.exit(1);
});
// Ctrl-C and SIGTERM end the process through process.exit, whose handler removes the temporary files
// of unfinished writes: the destination stays as it was, with no partial file beside it.
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
])
  process.once(signal, () => process.exit(code));
process.exitCode = await main(process.argv.slice(2));
