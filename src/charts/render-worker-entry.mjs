// Node 20 does not apply `--import tsx` loader hooks inside worker threads, so this plain-JavaScript
// entry loads the TypeScript worker through tsx's API; it works the same under tsx, vitest and plain node.
import { tsImport } from "tsx/esm/api";

const worker = await tsImport("./render-worker.ts", import.meta.url);

export default worker.default;
