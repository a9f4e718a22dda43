/**
 * Where the server's one thread spends its time: samples the app isolate's CPU
 * through workerd's inspector (Chrome DevTools protocol) and prints the functions
 * with the most samples, by self time and including callees. The server must run
 * with INSPECTOR_ADDR set (scripts/serve.sh passes it to the server process only):
 *
 *   INSPECTOR_ADDR=127.0.0.1:9229 npm run bench -- --scenario throughput --seconds 20 &
 *   npx node bench/cpu-profile.ts --after 40 --seconds 15 [--out profile.cpuprofile]
 *
 * `--after` counts from when the inspector first answers (it waits up to two minutes for
 * the server to start), so both commands can be started together.
 *
 * The .cpuprofile file opens in Chromium's DevTools (Performance panel).
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import WebSocket from "ws";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const { values } = parseArgs({
  options: {
    inspector: { type: "string", default: "127.0.0.1:9229" },
    worker: { type: "string", default: "chatalot" },
    after: { type: "string", default: "0" },
    seconds: { type: "string", default: "10" },
    out: { type: "string" },
    top: { type: "string", default: "30" },
  },
});

/** How long to wait for the server's inspector to come up before `--after` starts counting. */
const INSPECTOR_WAIT_SECONDS = 120;
const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

interface Target {
  title: string;
  webSocketDebuggerUrl: string;
}

/** The inspector's targets, once it answers: the bench started beside this may still be starting its server. */
async function inspectorTargets(timeoutSeconds: number): Promise<Target[]> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const response = await fetch(`http://${values.inspector}/json/list`).catch((error: Error) => error);
    if (!(response instanceof Error)) return (await response.json()) as Target[];
    if (Date.now() > deadline) throw new Error(`no inspector at ${values.inspector} after ${timeoutSeconds} s`);
    await sleep(0.25);
  }
}

await inspectorTargets(INSPECTOR_WAIT_SECONDS);
await sleep(Number(values.after));
const targets = await inspectorTargets(0);
const target = targets.find((candidate) => candidate.title.endsWith(`worker ${values.worker}`));
if (!target) throw new Error(`no worker ${values.worker} at ${values.inspector}: ${targets.map((t) => t.title)}`);

const socket = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
let lastId = 0;
const answers = new Map<number, (result: unknown) => void>();
socket.on("message", (data) => {
  const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: unknown };
  if (message.id !== undefined) answers.get(message.id)?.(message.result ?? message.error);
});
const call = <T>(method: string, params: object = {}) =>
  new Promise<T>((resolve) => {
    const id = ++lastId;
    answers.set(id, resolve as (result: unknown) => void);
    socket.send(JSON.stringify({ id, method, params }));
  });

await call("Profiler.enable");
await call("Profiler.setSamplingInterval", { interval: 500 });
await call("Profiler.start");
await sleep(Number(values.seconds));
const { profile } = await call<{ profile: Profile }>("Profiler.stop");
socket.close();
if (values.out) writeFileSync(values.out, JSON.stringify(profile));

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const nameOf = (node: ProfileNode) =>
  `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.split("/").pop()}:${node.callFrame.lineNumber + 1}`;
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const sample of profile.samples) {
  const leaf = nodes.get(sample)!;
  self.set(nameOf(leaf), (self.get(nameOf(leaf)) ?? 0) + 1);
  const seen = new Set<string>();
  for (let id: number | undefined = sample; id !== undefined; id = parents.get(id)) {
    const name = nameOf(nodes.get(id)!);
    if (seen.has(name)) continue; // recursion counts once
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
  }
}
const total = profile.samples.length;
const top = (counts: Map<string, number>) =>
  [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(values.top))
    .map(([name, count]) => `${((100 * count) / total).toFixed(1).padStart(6)} %  ${name}`)
    .join("\n");
console.log(`${total} samples of worker ${values.worker} over ${values.seconds} s`);
console.log(`\nself time\n${top(self)}\n\nincluding callees\n${top(inclusive)}`);
