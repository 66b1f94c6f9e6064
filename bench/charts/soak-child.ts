// Run as its own process so the peak RSS it reports is the render pool's alone (main thread + workers).
import { poolSoak } from "./pool-soak.ts";

const renders = Number(process.argv[2] ?? 10_000);
process.stdout.write(`${JSON.stringify(await poolSoak(renders))}\n`);
