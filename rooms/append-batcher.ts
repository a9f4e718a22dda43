/**
 * Group commit for a room's new messages. A send joins the pending batch; while no
 * batch is being stored, the pending one is stored at once (a lone message waits
 * for nobody), and while one is being stored, new sends gather behind it and go
 * together in the next statement. Under load many messages share one commit. A
 * batch ends before a message naming an upload another message of it names: the
 * statement checks each message's uploads as they stood before it, so the second
 * would see the upload free; in the next statement it finds it taken (or free again).
 *
 * A statement whose answer was lost (the database went away mid-commit) may have
 * committed. Its messages are "in doubt": before any later message is stored, the
 * room looks them up by sender and client id and announces whatever it finds stored. Without that, a message committed but
 * never relayed would sit below events the members already hold, and a resume from
 * those events would never bring it.
 */
import {
  count,
  DatabaseError,
  newMessageRecord,
  observe,
  query,
  queryTimed,
  type AppendOutcome,
  type AppendResult,
  type MessageRecord,
  type NewMessage,
  type SpanTimes,
} from "../db/index.ts";

/** Bounded so one statement stays small (64 KiB payloads at most each). */
export const APPEND_BATCH_MAX = 128;

interface Pending {
  message: NewMessage;
  /** Filled in along the way when the latency spans are on (db/latency-spans.ts). */
  times?: SpanTimes;
  waiters: { resolve(result: AppendResult, isRepeat: boolean): void; reject(error: unknown): void }[];
}

export class AppendBatcher {
  #pending: Pending[] = [];
  #isStoring = false;
  /** Messages of statements that failed without saying whether they committed. */
  #inDoubt: NewMessage[] = [];

  readonly channelId: string;
  readonly database: Env["DATABASE"];
  /** The room's write queue, so appends stay in order with edits, deletions and reactions. */
  readonly serialize: <T>(work: () => Promise<T>) => Promise<T>;
  /** Announces a message found stored when a statement in doubt ran again (its sender was told it failed). */
  readonly announce: (message: MessageRecord) => void;
  constructor(
    channelId: string,
    database: Env["DATABASE"],
    serialize: <T>(work: () => Promise<T>) => Promise<T>,
    announce: (message: MessageRecord) => void,
  ) {
    this.channelId = channelId;
    this.database = database;
    this.serialize = serialize;
    this.announce = announce;
  }

  /**
   * Stores the message (or finds it stored); `isDuplicate` is true for a resend, also one in
   * the same batch. `times`, given only when the latency spans are on, is filled in as it goes.
   */
  append(message: NewMessage, times?: SpanTimes): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (result: AppendResult, isRepeat: boolean) =>
          resolve(result.ok && isRepeat ? { ...result, isDuplicate: true } : result),
        reject,
      };
      // The same (sender, client id) twice in one statement would collide: the second waits for the first.
      const same = this.#pending.find(
        (pending) => pending.message.senderId === message.senderId && pending.message.clientId === message.clientId,
      );
      if (same) same.waiters.push(waiter);
      else this.#pending.push({ message, ...(times ? { times } : {}), waiters: [waiter] });
      if (times) times.queuedAt = Date.now();
      void this.#storePending();
    });
  }

  async #storePending(): Promise<void> {
    if (this.#isStoring) return;
    this.#isStoring = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, batchLength(this.#pending));
        try {
          const results = await this.serialize(async () => {
            await this.#settleInDoubt();
            const input = { channelId: this.channelId, messages: batch.map((pending) => pending.message) };
            if (!batch.some((pending) => pending.times)) return query(this.database, "appendMessages", input);
            return this.#appendTimed(batch, input);
          });
          // In memory only: the send path gains no I/O for metrics.
          observe("chatalot_append_batch_size", batch.length);
          batch.forEach((pending, index) => {
            const result = this.#complete(pending.message, results[index]!);
            if (result.ok && !result.isDuplicate) count("chatalot_messages_stored_total");
            pending.waiters.forEach((waiter, order) => waiter.resolve(result, order > 0));
          });
        } catch (error) {
          if (mayHaveCommitted(error)) this.#inDoubt.push(...batch.map((pending) => pending.message));
          for (const pending of batch) for (const waiter of pending.waiters) waiter.reject(error);
        }
      }
    } finally {
      this.#isStoring = false;
    }
  }

  /** The statement, with each message's times noted around the Database object's RPC. */
  async #appendTimed(batch: Pending[], input: { channelId: string; messages: NewMessage[] }) {
    const calledAt = Date.now();
    const { value, startedAt, finishedAt } = await queryTimed(this.database, "appendMessages", input);
    const answeredAt = Date.now();
    for (const { times } of batch) if (times) Object.assign(times, { calledAt, startedAt, finishedAt, answeredAt });
    return value;
  }

  /**
   * Looks up which messages in doubt the lost statements committed and announces
   * them, in seq order, before anything later is stored. Throws (keeping them in
   * doubt) while the database is still away. Those not found were not stored; their
   * senders were told so and send them again.
   */
  async #settleInDoubt(): Promise<void> {
    if (this.#inDoubt.length === 0) return;
    const found = await query(this.database, "messagesByClientIds", {
      channelId: this.channelId,
      sent: this.#inDoubt.map(({ senderId, clientId }) => ({ senderId, clientId })),
    });
    this.#inDoubt = [];
    found.forEach((message) => this.announce(message));
  }

  /** A new message comes back as what the server assigned; the rest is what was sent. */
  #complete(sent: NewMessage, outcome: AppendOutcome): AppendResult {
    if (!outcome.ok || outcome.isDuplicate) return outcome;
    return { ok: true, isDuplicate: false, message: newMessageRecord(this.channelId, sent, outcome.stored) };
  }
}

/** False only when PostgreSQL answered with an error (the statement rolled back) or never ran it. */
function mayHaveCommitted(error: unknown): boolean {
  return !(error instanceof DatabaseError && error.kind !== "unavailable");
}

/** How many pending messages, from the first, go in one statement: no upload twice, at most APPEND_BATCH_MAX. */
function batchLength(pending: Pending[]): number {
  const named = new Set<string>();
  for (let index = 0; index < Math.min(pending.length, APPEND_BATCH_MAX); index++) {
    const uploads = pending[index]!.message.attachments;
    if (uploads.some((id) => named.has(id))) return index;
    uploads.forEach((id) => named.add(id));
  }
  return Math.min(pending.length, APPEND_BATCH_MAX);
}
