// Run by `npm install` (postinstall): saves an initialised PGlite cluster so a first start skips initdb.
// It never fails the install: without the template, PGlite initialises new databases itself.
import { writeTemplate } from "../src/db/pglite-template.ts";

try {
  const started = performance.now();
  const { path, bytes } = await writeTemplate();
  console.log(
    `clg-bot: embedded database template ready (${(bytes / 1e6).toFixed(1)} MB, ${Math.round(performance.now() - started)} ms): ${path}`,
  );
} catch (e) {
  console.log(
    `clg-bot: no embedded database template (${e instanceof Error ? e.message : String(e)}); first starts will be slower`,
  );
}
