import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's chromium, which .ci/run installs (apt-get install chromium). */
export const CHROMIUM = process.env.KERASGRAPH_CHROMIUM ?? "/usr/bin/chromium";

/** Headless Chromium for the viewer's tests and benchmark; a missing browser is a failure that says how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the browser tests need Chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` (as .ci/run does) ` +
        `or set KERASGRAPH_CHROMIUM to a Chromium binary.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--headless", "--disable-gpu"] });
}
