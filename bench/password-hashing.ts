/**
 * How much a password hash stalls everyone else. One scrypt hash (N=2^17, r=8)
 * takes ~0.4 s of CPU, and workerd runs a process on one thread, so the
 * production entrypoint hands hashing to a second workerd process. This measures
 * chat round trips (send -> ack over a channel socket) while people sign in, with
 * the hasher in its own process and, for comparison, on the server's own thread.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/password-hashing.ts
 */
import { cpus } from "node:os";
import { createTestDatabase } from "../test/support/database.ts";
import { startServer } from "../test/support/server.ts";
import { formatNumber, summarize, type Summary } from "./stats.ts";
import { openChatProbe } from "./chat-probe.ts";

const PASSWORD = "bench password for hashing";
const SIGNERS = 4;
const PHASE_MS = Number(process.argv.includes("--quick") ? 2_000 : 6_000);

interface Result {
  mode: string;
  idle: Summary;
  loaded: Summary;
  signIns: number;
  signInLatency: Summary;
}

async function measure(mode: "separate" | "same"): Promise<Result> {
  const database = await createTestDatabase(`bench_hash_${mode}`);
  const server = await startServer({
    databaseUrl: database.url,
    env: {
      PASSWORD_HASHER_PROCESS: mode,
      TRUSTED_PROXIES: "127.0.0.1",
      // The probe sends up to 100 frames a second; the default 10 would refuse most of them.
      SOCKET_FRAMES_PER_SECOND: "1000",
      DATABASE_POOL_SIZE: database.isEmbedded ? "1" : "8",
    },
  });
  try {
    // Each person signs in from their own address, so rate limits stay out of the picture.
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as Record<string, any>;
    };
    const from = (index: number) => ({ "X-Forwarded-For": `203.0.113.${index + 1}` });
    const admin = await post("/api/auth/register", { username: "admin", password: PASSWORD }, from(100));
    const people = [];
    for (let index = 0; index < SIGNERS; index++) {
      people.push(await post("/api/auth/register", { username: `signer${index}`, password: PASSWORD }, from(index)));
    }
    const auth = { Authorization: `Bearer ${admin.accessToken}` };
    const { community } = await post("/api/communities", { name: "Bench" }, auth);
    const listed = await fetch(`${server.url}/api/communities/${community.id}/channels`, { headers: auth });
    const [channel] = ((await listed.json()) as { channels: { id: string }[] }).channels;
    const { ticket } = await post(`/api/channels/${channel!.id}/socket-ticket`, {}, auth);
    const chat = await openChatProbe(server.url, channel!.id, ticket);
    const probe = (ms: number) => chat.measure(ms);

    const idle = await probe(PHASE_MS);
    let running = true;
    const signInTimes: number[] = [];
    const signers = people.map(async (_person, index) => {
      while (running) {
        const started = performance.now();
        await post("/api/auth/login", { username: `signer${index}`, password: PASSWORD }, from(index));
        signInTimes.push(performance.now() - started);
      }
    });
    const loaded = await probe(PHASE_MS);
    running = false;
    await Promise.all(signers);
    chat.close();
    return { mode, idle, loaded, signIns: signInTimes.length, signInLatency: summarize(signInTimes) };
  } finally {
    await server.stop();
    await database.stop();
  }
}

const results = [await measure("separate"), await measure("same")];
console.log(
  `\npassword hashing vs chat latency (${cpus().length} cores, node ${process.version}, ${SIGNERS} people signing in back to back, ${PHASE_MS / 1000} s per phase)`,
);
console.log(
  "hasher            | chat send->ack idle p50/p99/max ms | during sign-ins p50/p99/max ms | sign-ins/s | sign-in p50 ms",
);
for (const result of results) {
  const row = (summary: Summary) => [summary.p50, summary.p99, summary.max].map(formatNumber).join(" / ");
  console.log(
    `${(result.mode === "separate" ? "separate process" : "same thread").padEnd(17)} | ${row(result.idle).padEnd(34)} | ${row(result.loaded).padEnd(30)} | ${formatNumber(result.signIns / (PHASE_MS / 1000)).padEnd(10)} | ${formatNumber(result.signInLatency.p50)}`,
  );
}
const [separate, same] = results;
console.log(
  `\nchat p99 during sign-ins, same thread / separate process: ${formatNumber(same!.loaded.p99 / separate!.loaded.p99)}x`,
);
