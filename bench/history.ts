/**
 * Scenario 5 of the messaging issue, history: one channel filled with `rows`
 * messages (history-fill.ts), then pages of 50 over HTTP, `GET
 * /api/channels/:id/messages?before=<seq>&limit=50` at random positions and the
 * newest page, one request at a time (latency) and several at once (throughput).
 * The page's main query run straight against PostgreSQL shows how much of a
 * request's time is the database's. Every page is checked: 50 messages, in order,
 * the right ones.
 */
import { startBenchServer } from "./bench-server.ts";
import { withClient } from "./bench-database.ts";
import { prepareChatalot } from "./chatalot-target.ts";
import type { ChatalotApi, Account } from "./chatalot-api.ts";
import { cpuPercent, sampleCpu } from "./cpu-usage.ts";
import type { BenchOptions } from "./flags.ts";
import { printTable } from "./report.ts";
import { fillChannel } from "./history-fill.ts";
import { formatNumber, summarize } from "./stats.ts";

const PAGE = 50;
const WARM_UP_REQUESTS = 20;
const CONCURRENT_REQUESTS = 8;
/** The target for a page from a channel of 1,000,000 messages. */
const TARGET_P99_MS = 20;

interface Pass {
  name: string;
  concurrency: number;
  /** The `before` of each request; undefined asks for the newest page. */
  before: () => number | undefined;
}

export async function runHistory(options: BenchOptions): Promise<void> {
  const bench = await startBenchServer("history", options);
  const { rows, requests } = options;
  console.log(`load:     one channel of ${rows} messages; ${requests} page requests of ${PAGE} per pass`);
  const { api, owner, target } = await prepareChatalot(bench.server.url, { sockets: 1, channels: 1 });
  const channelId = target.channels[0]!;
  const fillStart = performance.now();
  await fillChannel(bench.database, { channelId, senderId: owner.userId, rows });
  const size = await withClient(bench.database, async (client) => {
    const result = await client.query("select pg_total_relation_size('messages') as bytes");
    return Number(result.rows[0].bytes);
  });
  console.log(
    `fill:     ${rows} rows by SQL in ${((performance.now() - fillStart) / 1000).toFixed(1)} s, then ANALYZE; ` +
      `messages table with indexes ${formatNumber(size / 2 ** 20)} MB`,
  );

  const random = () => PAGE + 1 + Math.floor(Math.random() * (rows - PAGE + 1));
  const passes: Pass[] = [
    { name: "random position, 1 at a time", concurrency: 1, before: random },
    { name: "newest page, 1 at a time", concurrency: 1, before: () => undefined },
    { name: `random position, ${CONCURRENT_REQUESTS} at a time`, concurrency: CONCURRENT_REQUESTS, before: random },
  ];
  await timeRequests(api, owner, channelId, rows, WARM_UP_REQUESTS, 1, random); // the pool connects, caches fill
  const table: string[][] = [];
  let randomP99 = NaN;
  for (const pass of passes) {
    await bench.refreshCpuGroups();
    const cpuBefore = sampleCpu(bench.cpuGroups);
    const result = await timeRequests(api, owner, channelId, rows, requests, pass.concurrency, pass.before);
    const cpu = cpuPercent(cpuBefore, sampleCpu(bench.cpuGroups));
    const latency = summarize(result.latencies);
    if (pass.concurrency === 1 && pass.name.startsWith("random")) randomP99 = latency.p99;
    table.push([
      pass.name,
      String(requests),
      formatNumber(requests / result.seconds),
      ...[latency.p50, latency.p95, latency.p99, latency.max].map(formatNumber),
      String(result.wrongPages),
      ...["server", "postgres", "load gen", "other"].map((group) => formatNumber(cpu.get(group) ?? NaN)),
    ]);
  }
  const direct = await timeDirectQuery(bench.database, channelId, requests, random);
  table.push([
    "PostgreSQL alone: the page query, random",
    String(requests),
    "-",
    ...direct.map(formatNumber),
    "-",
    "-",
    "-",
    "-",
    "-",
  ]);
  printTable(
    `Pages of ${PAGE} from a channel of ${rows} messages (ms; CPU in % of one core)`,
    ["pass", "requests", "req/s", "p50", "p95", "p99", "max", "wrong pages", "server", "postgres", "load gen", "other"],
    table,
  );
  console.log(
    `target:   p99 under ${TARGET_P99_MS} ms for a page at a random position: ${formatNumber(randomP99)} ms ` +
      `(${randomP99 < TARGET_P99_MS ? "met" : "NOT met"} at ${rows} messages)`,
  );
}

async function timeRequests(
  api: ChatalotApi,
  account: Account,
  channelId: string,
  rows: number,
  count: number,
  concurrency: number,
  nextBefore: () => number | undefined,
): Promise<{ latencies: number[]; seconds: number; wrongPages: number }> {
  const latencies: number[] = [];
  let wrongPages = 0;
  let started = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started++ < count) {
        const before = nextBefore();
        const query = before === undefined ? `limit=${PAGE}` : `before=${before}&limit=${PAGE}`;
        const sent = performance.now();
        const { messages } = await api.request<{ messages: { seq: number }[] }>(
          "GET",
          `/api/channels/${channelId}/messages?${query}`,
          { account },
        );
        latencies.push(performance.now() - sent);
        // A page before `before` (or the newest) is the 50 seqs just below it, oldest first.
        const end = before ?? rows + 1;
        if (messages.length !== PAGE || messages.some((message, index) => message.seq !== end - PAGE + index)) {
          wrongPages++;
        }
      }
    }),
  );
  return { latencies, seconds: (performance.now() - start) / 1000, wrongPages };
}

/** p50, p95, p99 and max of the page's main query (as db/queries/message-history.ts runs it), from one connection. */
async function timeDirectQuery(
  database: Parameters<typeof withClient>[0],
  channelId: string,
  count: number,
  nextBefore: () => number,
): Promise<number[]> {
  return withClient(database, async (client) => {
    const latencies: number[] = [];
    for (let index = 0; index < count; index++) {
      const sent = performance.now();
      await client.query(
        `select m.*, case when u.deleted_at is null then u.username else 'deleted user' end as sender_name
         from messages m join users u on u.id = m.sender_id
         where m.channel_id = $1 and m.seq < $2 order by m.seq desc limit ${PAGE}`,
        [channelId, nextBefore()],
      );
      latencies.push(performance.now() - sent);
    }
    const summary = summarize(latencies);
    return [summary.p50, summary.p95, summary.p99, summary.max];
  });
}
