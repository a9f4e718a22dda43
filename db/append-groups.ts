/**
 * Group commit across channels, in the Database object. Each room already stores its
 * pending messages as one batch (rooms/append-batcher.ts); with fifty busy rooms that
 * was fifty statements and fifty commits at a time, each costing the server's one
 * thread about a millisecond in the driver and the bridge, so batches waited behind
 * each other's statements for hundreds of milliseconds while PostgreSQL sat mostly idle
 * (bench/README.md, "Latency ladder"). Here the batches of rooms that wait at the same
 * moment go out together: one statement, one commit (queries/messages.ts,
 * appendAcross). A batch that finds nothing running goes at once, alone.
 *
 * A statement that fails with an error PostgreSQL answered (a deadlock or a
 * serialization failure included) committed nothing; each of its batches is then tried
 * alone, one after another, so one channel's failure never becomes another's. A lost
 * answer may have committed: every batch of it is refused, and each room settles its own
 * messages in doubt (rooms/append-batcher.ts).
 */
import { observe } from "./metrics.ts";
import type { AppendOutcome, NewMessage } from "./queries/messages.ts";

export interface ChannelBatch {
  channelId: string;
  messages: NewMessage[];
}

interface Waiting {
  batch: ChannelBatch;
  resolve(outcomes: AppendOutcome[]): void;
  reject(error: unknown): void;
}

/**
 * Statements in flight at most: while some commit, the next gathers. Half the pool (4 of
 * the default 8), so other queries keep connections of their own. `npm run bench --
 * --scenario throughput`, pool of 4, one run each: at most 1,795 messages/s with two
 * statements in flight, 1,973 with four (which left the pool to the appends).
 */
export const appendStatementsMax = (poolSize: number) => Math.max(1, Math.min(4, Math.floor(poolSize / 2)));
/** A statement's bounds, so one stays a size PostgreSQL parses quickly (payloads are up to 64 KiB each). */
const GROUP_MESSAGES_MAX = 1_024;
const GROUP_PAYLOAD_MAX = 4 * 1024 * 1024;

export class AppendGroups {
  #waiting: Waiting[] = [];
  #running = 0;
  readonly store: (batches: ChannelBatch[]) => Promise<AppendOutcome[][]>;
  readonly mayHaveCommitted: (error: unknown) => boolean;
  readonly statementsMax: number;

  constructor(
    store: (batches: ChannelBatch[]) => Promise<AppendOutcome[][]>,
    mayHaveCommitted: (error: unknown) => boolean,
    statementsMax: number,
  ) {
    this.store = store;
    this.mayHaveCommitted = mayHaveCommitted;
    this.statementsMax = statementsMax;
  }

  /** Stores the batch with whichever others wait beside it; answers as appendMessages would. */
  append(batch: ChannelBatch): Promise<AppendOutcome[]> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ batch, resolve, reject });
      this.#next();
    });
  }

  #next(): void {
    while (this.#running < this.statementsMax && this.#waiting.length > 0) {
      const group: Waiting[] = [];
      const rest: Waiting[] = [];
      const channels = new Set<string>();
      let messages = 0;
      let payload = 0;
      for (const waiting of this.#waiting) {
        const size = waiting.batch.messages.reduce((sum, message) => sum + message.payload.length, 0);
        // One batch per channel in a statement (its numbering reads the channel once); bounded, but never empty.
        const fits =
          group.length === 0 ||
          (messages + waiting.batch.messages.length <= GROUP_MESSAGES_MAX && payload + size <= GROUP_PAYLOAD_MAX);
        if (channels.has(waiting.batch.channelId) || !fits) {
          rest.push(waiting);
          continue;
        }
        group.push(waiting);
        channels.add(waiting.batch.channelId);
        messages += waiting.batch.messages.length;
        payload += size;
      }
      this.#waiting = rest;
      this.#running++;
      void this.#run(group).finally(() => {
        this.#running--;
        this.#next();
      });
    }
  }

  async #run(group: Waiting[]): Promise<void> {
    observe("chatalot_append_statement_channels", group.length);
    try {
      const answers = await this.store(group.map((waiting) => waiting.batch));
      group.forEach((waiting, index) => waiting.resolve(answers[index]!));
    } catch (error) {
      if (group.length === 1 || this.mayHaveCommitted(error)) {
        for (const waiting of group) waiting.reject(error);
        return;
      }
      // One after another, in this statement's slot: the pool stays as shared as before.
      for (const waiting of group) {
        await this.store([waiting.batch]).then((answers) => waiting.resolve(answers[0]!), waiting.reject);
      }
    }
  }
}
