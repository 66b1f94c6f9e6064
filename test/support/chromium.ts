import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium; another build can be named with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Browser tests run where Chromium is installed. Under CI (CI=true) they always run, so a missing
 * browser is a failure there, never a silent skip.
 */
export const BROWSER_TESTS = existsSync(CHROMIUM_PATH) || process.env.CI === "true";

/** Headless, and quiet on a machine without a network: no background or update traffic. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** `extraArgs`, e.g. `--host-resolver-rules=MAP rebind.test 127.0.0.1` to play a DNS-rebinding page. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}
