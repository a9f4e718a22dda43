/**
 * The chaos scenario as long as you like: `npx node test/chaos.ts --seconds 300
 * --channels 5 --clients 4` (needs `npm run build` and PostgreSQL's server binaries).
 * Prints what it did and every problem found; exits 1 if any guarantee broke.
 */
import { parseArgs } from "node:util";
import { runChaos } from "./support/chaos-scenario.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "120" },
    channels: { type: "string", default: "4" },
    clients: { type: "string", default: "4" },
  },
});
const report = await runChaos({
  seconds: Number(values.seconds),
  channels: Number(values.channels),
  clientsPerChannel: Number(values.clients),
  log: (line) => console.log(line),
});
console.log(JSON.stringify(report, null, 2));
process.exit(report.problems.length === 0 ? 0 : 1);
