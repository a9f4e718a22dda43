/**
 * Unread counts for someone in many communities: `GET /api/unread` works out
 * every channel the person may view (their standing in each community, each
 * channel's overrides) and counts what they have not read. This times it for a
 * member of `--communities` communities of `--channels` channels each, one request
 * at a time, and checks every answer lists them all.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/unread.ts [--communities 20] [--channels 5]
 */
import { parseArgs } from "node:util";
import { call, registerOn, type Account } from "../test/support/accounts.ts";
import { createTestDatabase } from "../test/support/database.ts";
import { startServer, type RunningServer } from "../test/support/server.ts";
import { formatNumber, summarize } from "./stats.ts";

const { values } = parseArgs({
  options: {
    communities: { type: "string", default: "20" },
    channels: { type: "string", default: "5" },
    requests: { type: "string", default: "300" },
  },
});
const COMMUNITIES = Number(values.communities);
const CHANNELS = Number(values.channels);
const REQUESTS = Number(values.requests);
const WARM_UP = 20;
const PASSWORD = "bench password for unread";

async function ok(server: RunningServer, path: string, options: Parameters<typeof call>[2], status: number) {
  const response = await call(server, path, options);
  if (response.status !== status) throw new Error(`${path}: ${response.status} ${response.text}`);
  return response.body;
}

/** `member` joins `COMMUNITIES` communities of `owner`'s, each with `CHANNELS` channels. */
async function fill(server: RunningServer, owner: Account, member: Account): Promise<number> {
  for (let index = 0; index < COMMUNITIES; index++) {
    const { community } = await ok(
      server,
      "/api/communities",
      { token: owner.token, body: { name: `C${index}` } },
      201,
    );
    for (let channel = 1; channel < CHANNELS; channel++) {
      const path = `/api/communities/${community.id}/channels`;
      await ok(server, path, { token: owner.token, body: { name: `room-${channel}` } }, 201);
    }
    const { code } = await ok(
      server,
      `/api/communities/${community.id}/invites`,
      { token: owner.token, body: {} },
      201,
    );
    await ok(server, "/api/community-invites/accept", { token: member.token, body: { code } }, 200);
  }
  return COMMUNITIES * CHANNELS;
}

const database = await createTestDatabase("bench_unread");
const server = await startServer({ databaseUrl: database.url, env: { DATABASE_POOL_SIZE: "4" } });
try {
  const owner = await registerOn(server, "admin", PASSWORD);
  const member = await registerOn(server, "member", PASSWORD);
  const expected = await fill(server, owner, member);
  const latencies: number[] = [];
  let wrong = 0;
  for (let index = 0; index < WARM_UP + REQUESTS; index++) {
    const started = performance.now();
    const { channels } = await ok(server, "/api/unread", { token: member.token }, 200);
    if (index >= WARM_UP) latencies.push(performance.now() - started);
    if (channels.length !== expected) wrong++;
  }
  const summary = summarize(latencies);
  console.log(
    `GET /api/unread, a member of ${COMMUNITIES} communities of ${CHANNELS} channels (${expected} listed), ` +
      `${REQUESTS} requests one at a time: p50 ${formatNumber(summary.p50)} ms, p95 ${formatNumber(summary.p95)} ms, ` +
      `p99 ${formatNumber(summary.p99)} ms, max ${formatNumber(summary.max)} ms; wrong answers ${wrong}`,
  );
  if (wrong > 0) process.exitCode = 1;
} finally {
  await server.stop();
  await database.stop();
}
