/**
 * Search's metadata route at scale (issue #26): one channel of `--rows` messages plus ten
 * small ones, filled straight in SQL, then `GET /api/search/messages` pages of 50 over
 * HTTP against the production server, one request at a time, for the filters people use:
 * everything newest first, a sender in the big channel, a rare sender anywhere, one day,
 * a mention, pins, files, and a second page through the cursor. Every page is checked.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx node bench/search-metadata.ts [--rows 1000000] [--requests 200]
 *
 * Of the big channel's messages, alice sends most, bob every 7th, carol every 20th and dave
 * every 10,000th; every 500th mentions carol, every 20,000th is pinned, every 2,000th
 * carries a file. bob, a member, searches.
 */
import { parseArgs } from "node:util";
import { call, createCommunityWith, registerOn, type Account } from "../test/support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../test/support/database.ts";
import { startServer, type RunningServer } from "../test/support/server.ts";
import { withClient } from "./bench-database.ts";
import { printTable } from "./report.ts";
import { formatNumber, summarize } from "./stats.ts";

const { values } = parseArgs({
  options: { rows: { type: "string", default: "1000000" }, requests: { type: "string", default: "200" } },
});
const ROWS = Number(values.rows);
const REQUESTS = Number(values.requests);
const SMALL_CHANNELS = 10;
const SMALL_ROWS = 2_000;
const PAGE = 50;
const WARM_UP = 20;
/** Rows per INSERT: bounded so each statement's memory and WAL stay modest. */
const CHUNK_ROWS = 250_000;
const PASSWORD = "bench password for search";
const DAY_MS = 86_400_000;

interface Page {
  messages: {
    channelId: string;
    senderId: string;
    sentAt: string;
    pinnedAt: string | null;
    mentions: { userIds: string[] };
  }[];
  nextCursor: string | null;
}

interface Pass {
  name: string;
  query: () => string;
  /** What every message of the page must satisfy; pages hold PAGE messages unless `fewer`. */
  holds: (message: Page["messages"][number]) => boolean;
  fewer?: boolean;
}

async function fill(database: TestDatabase, people: Record<string, Account>, big: string, small: string[]) {
  await withClient(database, async (client) => {
    // Only this bulk load skips waiting for WAL flushes; the server's own sessions are untouched.
    await client.query("set synchronous_commit = off");
    const { alice, bob, carol, dave } = people;
    for (let first = 1; first <= ROWS; first += CHUNK_ROWS) {
      const last = Math.min(ROWS, first + CHUNK_ROWS - 1);
      await client.query(
        `insert into messages (channel_id, seq, event, sender_id, client_id, payload, payload_bytes, sent_at,
           mentioned_user_ids, pinned_at)
         select $1, n, n,
           case when n % 10000 = 0 then $5::uuid when n % 20 = 0 then $4::uuid
             when n % 7 = 0 then $3::uuid else $2::uuid end,
           'fill-' || n, decode(repeat(lpad(to_hex(n), 8, '0'), 50), 'hex'), 200,
           now() - make_interval(secs => $8 - n),
           case when n % 500 = 0 then array[$4::uuid] else '{}' end,
           case when n % 20000 = 0 then now() end
         from generate_series($6::bigint, $7::bigint) as n`,
        [big, alice!.id, bob!.id, carol!.id, dave!.id, first, last, ROWS],
      );
    }
    await client.query(
      `insert into messages (channel_id, seq, event, sender_id, client_id, payload, payload_bytes, sent_at)
       select c.id, n, n, case when n % 3 = 0 then $2::uuid else $3::uuid end, 'fill-' || n,
         decode(repeat(lpad(to_hex(n), 8, '0'), 50), 'hex'), 200, now() - make_interval(secs => ($4 - n) * 300)
       from unnest($1::uuid[]) as c(id), generate_series(1, $4) as n`,
      [small, bob!.id, alice!.id, SMALL_ROWS],
    );
    await client.query(
      `insert into uploads (owner_id, channel_id, size, received, state, message_id, completed_at)
       select sender_id, channel_id, 100, 100, 'complete', id, now() from messages where seq % 2000 = 0`,
    );
    await client.query("update channels set last_seq = $2, last_event = $2 where id = $1", [big, ROWS]);
    await client.query("update channels set last_seq = $2, last_event = $2 where id = any($1::uuid[])", [
      small,
      SMALL_ROWS,
    ]);
    await client.query("analyze");
  });
}

async function search(server: RunningServer, bob: Account, query: string): Promise<Page> {
  const response = await call<Page>(server, `/api/search/messages?${query}`, { token: bob.token });
  if (response.status !== 200) throw new Error(`search ${query}: ${response.status} ${response.text}`);
  return response.body;
}

function isWrong(page: Page, pass: Pass): boolean {
  const times = page.messages.map((message) => Date.parse(message.sentAt));
  const isNewestFirst = times.every((time, index) => index === 0 || time <= times[index - 1]!);
  const isFull = pass.fewer ? page.messages.length > 0 : page.messages.length === PAGE;
  return !isNewestFirst || !isFull || !page.messages.every(pass.holds);
}

const database = await createTestDatabase("bench_search");
// A server that cannot start (not built, say) must not leave the fresh database behind.
const server = await startServer({
  databaseUrl: database.url,
  env: { ADMIN_USERNAME: "alice", DATABASE_POOL_SIZE: "4", HISTORY_PAGES_PER_MINUTE: "10000000" },
}).catch(async (error: unknown) => {
  await database.stop();
  throw error;
});
try {
  const people: Record<string, Account> = {};
  for (const name of ["alice", "bob", "carol", "dave"]) people[name] = await registerOn(server, name, PASSWORD);
  const { alice, bob, carol, dave } = people as Record<"alice" | "bob" | "carol" | "dave", Account>;
  await createCommunityWith(server, alice, "Bench", [bob, carol, dave]);
  const communityId = (await call(server, "/api/communities", { token: alice.token })).body.communities[0].id;
  const channels: string[] = [];
  for (let index = 0; index <= SMALL_CHANNELS; index++) {
    const path = `/api/communities/${communityId}/channels`;
    const created = await call(server, path, { token: alice.token, body: { name: `room-${index}` } });
    if (created.status !== 201) throw new Error(`channel: ${created.status} ${created.text}`);
    channels.push(created.body.channel.id);
  }
  const [big, ...small] = channels as [string, ...string[]];
  const fillStart = performance.now();
  await fill(database, people, big, small);
  console.log(
    `fill:     ${ROWS} messages in one channel and ${SMALL_CHANNELS} x ${SMALL_ROWS} in others, by SQL, in ` +
      `${((performance.now() - fillStart) / 1000).toFixed(1)} s`,
  );
  const spanMs = ROWS * 1000;
  const randomDay = () => {
    const end = Date.now() - Math.floor(Math.random() * (spanMs - DAY_MS));
    const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());
    return `after=${iso(end - DAY_MS)}&before=${iso(end)}`;
  };
  const secondPage = (await search(server, bob, `senderId=${carol.id}&channelId=${big}`)).nextCursor;
  const passes: Pass[] = [
    { name: "everything, newest first", query: () => "", holds: () => true },
    {
      name: "from: carol, in the big channel",
      query: () => `senderId=${carol.id}&channelId=${big}`,
      holds: (message) => message.senderId === carol.id && message.channelId === big,
    },
    {
      name: "from: dave (1 in 10,000), anywhere",
      query: () => `senderId=${dave.id}`,
      holds: (message) => message.senderId === dave.id,
      fewer: true,
    },
    { name: "one day at random", query: randomDay, holds: () => true },
    {
      name: "mentions: carol",
      query: () => `mentionsUserId=${carol.id}`,
      holds: (message) => message.mentions.userIds.includes(carol.id),
      fewer: true,
    },
    { name: "pinned", query: () => "pinned=true", holds: (message) => message.pinnedAt !== null, fewer: true },
    { name: "has a file", query: () => "hasFile=true", holds: () => true, fewer: true },
    {
      name: "from: carol, second page (cursor)",
      query: () => `senderId=${carol.id}&channelId=${big}&cursor=${encodeURIComponent(secondPage ?? "")}`,
      holds: (message) => message.senderId === carol.id,
    },
  ];
  const table: string[][] = [];
  for (const pass of passes) {
    const latencies: number[] = [];
    let wrong = 0;
    for (let index = 0; index < WARM_UP + REQUESTS; index++) {
      const started = performance.now();
      const page = await search(server, bob, `${pass.query()}&limit=${PAGE}`);
      if (index >= WARM_UP) latencies.push(performance.now() - started);
      if (isWrong(page, pass)) wrong++;
    }
    const summary = summarize(latencies);
    table.push([pass.name, ...[summary.p50, summary.p95, summary.p99, summary.max].map(formatNumber), String(wrong)]);
  }
  printTable(
    `GET /api/search/messages, pages of ${PAGE}, ${REQUESTS} requests one at a time per filter (ms), ` +
      `${ROWS + SMALL_CHANNELS * SMALL_ROWS} messages`,
    ["filter", "p50", "p95", "p99", "max", "wrong pages"],
    table,
  );
  if (table.some((row) => row.at(-1) !== "0")) process.exitCode = 1;
} finally {
  await server.stop();
  await database.stop();
}
