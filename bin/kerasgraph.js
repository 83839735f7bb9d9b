#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`).
const { main } = await import("../dist/cli/main.js").catch((err) => {
  process.stderr.write(`kerasgraph: cannot load dist/cli/main.js (${err.message}). Run \`npm run build\` first.\n`);
  process.exit(1);
});
process.exitCode = await main(process.argv.slice(2));
