/**
 * Sign-in floods against the production entrypoint (its separate password hasher):
 * 1. `--flood` wrong sign-ins at once, each from its own address, while alice signs in
 *    from her browser: how long alice waits, with the sign-in gate (the defaults) and
 *    without it (limits set out of reach), and how the flood was answered;
 * 2. recovery attempts for names that do not exist at `--rate` a second, from many
 *    addresses, while a chat socket sends: chat send→ack latency idle and during.
 * Prints figures; never fails on one.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/sign-in-flood.ts [--flood 200] [--rate 100] [--seconds 10]
 */
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { openChatProbe } from "./chat-probe.ts";
import { call } from "../test/support/accounts.ts";
import { createTestDatabase } from "../test/support/database.ts";
import { startServer, type RunningServer } from "../test/support/server.ts";
import { formatNumber, type Summary } from "./stats.ts";

const { values } = parseArgs({
  options: {
    flood: { type: "string", default: "200" },
    rate: { type: "string", default: "100" },
    seconds: { type: "string", default: "10" },
  },
});
const FLOOD = Number(values.flood);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const PASSWORD = "bench password for floods";
const OUT_OF_REACH = { PASSWORD_CHECKS_QUEUED_MAX: "10000", SIGN_IN_FAILURES_PER_MINUTE: "1000000" };

let nextAddress = 1;
const address = () => `2001:db8:${(nextAddress++).toString(16)}::1`;

async function withServer<T>(
  env: Record<string, string | undefined>,
  work: (server: RunningServer) => Promise<T>,
): Promise<T> {
  const database = await createTestDatabase("bench_sign_in_flood");
  const server = await startServer({
    databaseUrl: database.url,
    env: {
      TRUSTED_PROXIES: "127.0.0.1",
      DATABASE_POOL_SIZE: database.isEmbedded ? "1" : "8",
      SOCKET_FRAMES_PER_SECOND: "1000",
      ...env,
    },
  });
  try {
    return await work(server);
  } finally {
    await server.stop();
    await database.stop();
  }
}

/** `username` registers (the browser keeps the device cookie); returns the cookie and the token. */
async function registerAs(server: RunningServer, username: string): Promise<{ cookie: string; token: string }> {
  const registered = await call(server, "/api/auth/register", {
    body: { username, password: PASSWORD },
    forwardedFor: "198.51.100.20",
  });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${registered.text}`);
  const cookie = registered.headers
    .getSetCookie()
    .find((value) => value.startsWith("chatalot_device="))!
    .split(";")[0]!;
  return { cookie, token: registered.body.accessToken };
}

async function floodScenario(env: Record<string, string | undefined>) {
  return withServer(env, async (server) => {
    const alice = await registerAs(server, "alice");
    const flood = Array.from({ length: FLOOD }, (_, index) =>
      call(server, "/api/auth/login", {
        body: { username: `nobody${index}`, password: "guessing" },
        forwardedFor: address(),
      }),
    );
    const started = performance.now();
    const signedIn = await call(server, "/api/auth/login", {
      body: { username: "alice", password: PASSWORD },
      forwardedFor: "203.0.113.8",
      headers: { Cookie: alice.cookie },
    });
    const aliceMs = performance.now() - started;
    const answers = await Promise.all(flood);
    const floodMs = performance.now() - started;
    const statuses = new Map<number, number>();
    for (const answer of answers) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    return { aliceMs, aliceStatus: signedIn.status, floodMs, statuses };
  });
}

async function recoveryScenario() {
  return withServer({}, async (server) => {
    // The instance admin, who may create the community the chat runs in.
    const alice = await registerAs(server, "admin");
    const { community } = (await call(server, "/api/communities", { token: alice.token, body: { name: "Bench" } }))
      .body;
    const channels = (await call(server, `/api/communities/${community.id}/channels`, { token: alice.token })).body;
    const channelId = channels.channels[0].id as string;
    const { ticket } = (
      await call(server, `/api/channels/${channelId}/socket-ticket`, { method: "POST", token: alice.token })
    ).body;
    const chat = await openChatProbe(server.url, channelId, ticket);
    const probe = (ms: number) => chat.measure(ms, 20);
    const idle = await probe(SECONDS * 500);
    let sent = 0;
    const statuses = new Map<number, number>();
    const flood = setInterval(() => {
      for (let index = 0; index < RATE / 20; index++) {
        sent++;
        void call(server, "/api/auth/recover", {
          body: {
            username: `ghost${sent}`,
            recoveryCode: "aaaa-bbbb-cccc-dddd-eeee-ffff-gggg",
            newPassword: "a brand new passphrase",
          },
          forwardedFor: address(),
        }).then((answer) => statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1));
      }
    }, 50);
    const loaded = await probe(SECONDS * 1000);
    clearInterval(flood);
    chat.close();
    return { idle, loaded, sent, statuses };
  });
}

const row = (summary: Summary) => [summary.p50, summary.p99, summary.max].map(formatNumber).join(" / ");
const counts = (statuses: Map<number, number>) =>
  [...statuses]
    .sort()
    .map(([status, count]) => `${count}× ${status}`)
    .join(", ");

console.log(`Sign-in floods (${cpus().length} cores, node ${process.version})`);
// Unset: the server's own default (the test support raises it for tests).
const gated = await floodScenario({ PASSWORD_CHECKS_QUEUED_MAX: undefined });
const ungated = await floodScenario(OUT_OF_REACH);
console.log(`\n${FLOOD} wrong sign-ins at once from ${FLOOD} addresses, alice signing in from her browser meanwhile:`);
console.log("                      | alice waited | alice | the flood answered");
console.log(
  `with the gate         | ${formatNumber(gated.aliceMs).padStart(9)} ms | ${gated.aliceStatus}   | ${counts(gated.statuses)} in ${formatNumber(gated.floodMs)} ms`,
);
console.log(
  `without (out of reach)| ${formatNumber(ungated.aliceMs).padStart(9)} ms | ${ungated.aliceStatus}   | ${counts(ungated.statuses)} in ${formatNumber(ungated.floodMs)} ms`,
);
console.log(`alice's wait, without / with the gate: ${formatNumber(ungated.aliceMs / gated.aliceMs)}x`);

const recovery = await recoveryScenario();
console.log(
  `\nRecovery attempts for unknown names at ${RATE}/s (${recovery.sent} sent, ${counts(recovery.statuses)}), chat send→ack p50 / p99 / max ms:`,
);
console.log(`idle:   ${row(recovery.idle)}`);
console.log(`during: ${row(recovery.loaded)}`);
