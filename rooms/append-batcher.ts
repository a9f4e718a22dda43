/**
 * Group commit for a room's new messages. A send joins the pending batch; while no
 * batch is being stored, the pending one is stored at once (a lone message waits
 * for nobody), and while one is being stored, new sends gather behind it and go
 * together in the next statement. Under load many messages share one commit. A
 * batch ends before a message naming an upload another message of it names: the
 * statement checks each message's uploads as they stood before it, so the second
 * would see the upload free; in the next statement it finds it taken (or free again).
 */
import { newMessageRecord, query, type AppendOutcome, type AppendResult, type NewMessage } from "../db/index.ts";

/** Bounded so one statement stays small (64 KiB payloads at most each). */
export const APPEND_BATCH_MAX = 128;

interface Pending {
  message: NewMessage;
  waiters: { resolve(result: AppendResult, isRepeat: boolean): void; reject(error: unknown): void }[];
}

export class AppendBatcher {
  #pending: Pending[] = [];
  #isStoring = false;

  readonly channelId: string;
  readonly database: Env["DATABASE"];
  /** The room's write queue, so appends stay in order with edits, deletions and reactions. */
  readonly serialize: <T>(work: () => Promise<T>) => Promise<T>;
  constructor(channelId: string, database: Env["DATABASE"], serialize: <T>(work: () => Promise<T>) => Promise<T>) {
    this.channelId = channelId;
    this.database = database;
    this.serialize = serialize;
  }

  /** Stores the message (or finds it stored); `isDuplicate` is true for a resend, also one in the same batch. */
  append(message: NewMessage): Promise<AppendResult> {
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
      else this.#pending.push({ message, waiters: [waiter] });
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
          const results = await this.serialize(() =>
            query(this.database, "appendMessages", {
              channelId: this.channelId,
              messages: batch.map((pending) => pending.message),
            }),
          );
          batch.forEach((pending, index) => {
            const result = this.#complete(pending.message, results[index]!);
            pending.waiters.forEach((waiter, order) => waiter.resolve(result, order > 0));
          });
        } catch (error) {
          for (const pending of batch) for (const waiter of pending.waiters) waiter.reject(error);
        }
      }
    } finally {
      this.#isStoring = false;
    }
  }

  /** A new message comes back as what the server assigned; the rest is what was sent. */
  #complete(sent: NewMessage, outcome: AppendOutcome): AppendResult {
    if (!outcome.ok || outcome.isDuplicate) return outcome;
    return { ok: true, isDuplicate: false, message: newMessageRecord(this.channelId, sent, outcome.stored) };
  }
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
