import { runChartBench } from "./chart-bench.ts";

const soak = process.argv.find((a) => a.startsWith("--soak="));
await runChartBench(soak ? { soakRenders: Number(soak.slice(7)) } : {});
