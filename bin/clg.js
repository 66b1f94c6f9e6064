#!/usr/bin/env node
// Loads the TypeScript CLI through tsx's loader in this same process, so the package runs straight from a clone.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/cli/main.ts");
await runCli(process.argv);
