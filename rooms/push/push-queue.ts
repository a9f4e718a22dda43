/**
 * PushQueue: one small Durable Object per person, holding their pushes waiting to
 * be sent, driven by its alarm. Sending a message only hands a notice over
 * (rooms/push/queue-pushes.ts); a slow or failing push service costs this object
 * retries, never the sender time.
 *
 * A first try is made from memory, at once; storage is for retries only. Each write is
 * a SQLite commit, an fsync on the one thread every room shares (strace: ~50 a second at
 * 20 pushes a second; the sender's p50 3-4 times higher, bench/push.ts). A first try lost
 * to a restart is no worse than the notice itself, held in the activity window (memory).
 *
 * One entry per channel: a newer notice for a channel replaces the waiting one, as
 * the push service's Topic does for pushes it holds. Each entry is retried for the
 * subscriptions that failed with 429, 5xx or a network error, with exponential
 * backoff, until it expires (its TTL) or runs out of attempts. 404 and 410 mean the
 * subscription is gone: it is deleted.
 *
 * Where to send: a first try uses the subscriptions the decision read in its own
 * statement a moment before (no query of its own on the database the sends share);
 * a retry, or a first try that waited longer than TARGETS_FRESH_MS, reads them again,
 * so a sign-out since stops the push.
 */
import { DurableObject } from "cloudflare:workers";
import { query } from "../../db/index.ts";
import type { DecidedNotice, PushNotice } from "./push-notice.ts";
import { outboundFor, serviceHost, type PushEnv } from "./push-outbound.ts";
import { PUSH_TTL_SECONDS, pushRequest, type PushTarget } from "./push-request.ts";
import { vapidKeys } from "./vapid.ts";

const ENTRY_PREFIX = "push:";
/** Tries per entry and subscription, the first included. */
const ATTEMPTS_MAX = 6;
/** Backoff after the first failure; doubled each time, up to BACKOFF_MAX_MS. */
const BACKOFF_FIRST_MS = 1_000;
const BACKOFF_MAX_MS = 5 * 60_000;
/** A push service that has not answered by now is treated as a network failure. */
const SEND_TIMEOUT_MS = 10_000;
/** When the database cannot be asked where to send, the whole queue waits this long. */
const DATABASE_RETRY_MS = 5_000;
/** lastSuccessAt is a day-scale fact: written at most this often per subscription. */
const DELIVERED_MARK_INTERVAL_MS = 60 * 60_000;
/** Channels one person may have pushes waiting for; past it the oldest entry goes. */
const ENTRIES_MAX = 256;
/** Subscriptions read with a decision this recently serve its first try; older ones are read again. */
const TARGETS_FRESH_MS = 1_000;
/** Storage puts and deletes at most this many keys at once. */
const STORAGE_BATCH_MAX = 128;

const REASON_STRENGTH: Record<PushNotice["reason"], number> = { message: 0, mention: 1, dm: 2 };

interface QueuedPush {
  /** Changes on every replacement, so a send finishing late never removes a newer notice. */
  version: string;
  notice: PushNotice;
  queuedAt: number;
  expiresAt: number;
  dueAt: number;
  attempts: number;
  /** Subscriptions still to reach; null: all of the person's. */
  pending: string[] | null;
}

type Outcome = "delivered" | "gone" | "retry" | "refused";

export class PushQueue extends DurableObject<Env> {
  #markedAt = new Map<string, number>();
  /** The newest decision's read of this person's subscriptions; in memory only. */
  #read: Pick<DecidedNotice, "targets" | "targetsReadAt"> | null = null;
  /** Notices waiting for their first try, by entry key; in memory only (see above). */
  #fresh = new Map<string, QueuedPush>();
  /** The first tries under way, if any: notices arriving meanwhile go in the next round. */
  #sending: Promise<void> | null = null;

  /** Takes notices for this person and starts their first try; returns before anything is sent. */
  async enqueue(notices: PushNotice[], read?: Pick<DecidedNotice, "targets" | "targetsReadAt">): Promise<void> {
    const now = Date.now();
    if (read && read.targetsReadAt >= (this.#read?.targetsReadAt ?? 0)) this.#read = read;
    for (const notice of notices) {
      const key = ENTRY_PREFIX + notice.channelId;
      const stored = this.#fresh.has(key) ? undefined : await this.ctx.storage.get<QueuedPush>(key);
      const waiting = this.#fresh.get(key) ?? stored;
      // The stronger reason stays: a mention followed by an ordinary message is still a mention.
      const reason =
        waiting && REASON_STRENGTH[waiting.notice.reason] > REASON_STRENGTH[notice.reason]
          ? waiting.notice.reason
          : notice.reason;
      const seq = Math.max(notice.seq, waiting?.notice.seq ?? 0);
      // A retry waiting for this channel is replaced: the newer notice goes to every subscription.
      if (stored) await this.ctx.storage.delete(key);
      this.#fresh.delete(key); // re-inserted last: the map stays oldest first
      this.#fresh.set(key, {
        version: crypto.randomUUID(),
        notice: { ...notice, reason, seq },
        queuedAt: now,
        expiresAt: now + PUSH_TTL_SECONDS[reason] * 1000,
        dueAt: now,
        attempts: 0,
        pending: null,
      });
    }
    // The same bound as stored entries: past ENTRIES_MAX waiting channels, the oldest go.
    for (const key of this.#fresh.keys()) {
      if (this.#fresh.size <= ENTRIES_MAX) break;
      this.#fresh.delete(key);
    }
    this.#startSending();
  }

  #startSending(): void {
    if (this.#sending) return;
    this.#sending = this.#sendFresh().finally(() => {
      this.#sending = null;
      // A notice that came after the last round's check but before this: its own round.
      if (this.#fresh.size > 0) this.#startSending();
    });
    this.ctx.waitUntil(this.#sending);
  }

  /** First tries, round after round, until no notice waits in memory. */
  async #sendFresh(): Promise<void> {
    while (this.#fresh.size > 0) {
      const due = [...this.#fresh];
      this.#fresh.clear();
      try {
        if (await this.#deliver(due, false)) await this.#scheduleNext();
      } catch (error) {
        console.warn(`push: a first try failed: ${(error as Error).message}`);
      }
    }
  }

  /** Sends every stored entry that is due (retries), then sleeps until the next one is. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const entries = await this.ctx.storage.list<QueuedPush>({ prefix: ENTRY_PREFIX });
    await this.#deliver(
      [...entries].filter(([, entry]) => entry.dueAt <= now),
      true,
    );
    await this.#trim();
    await this.#scheduleNext();
  }

  /**
   * Sends these entries, from memory (first tries) or from storage (retries), and writes
   * down what must be tried again; returns whether it wrote anything that needs the alarm.
   */
  async #deliver(due: [string, QueuedPush][], isStored: boolean): Promise<boolean> {
    const env = this.env as unknown as PushEnv;
    const userId = due[0]?.[1].notice.userId;
    if (!userId) return false;
    if (!env.VAPID_PRIVATE_KEY) {
      // Push is off (no VAPID key): nothing waiting can ever go.
      if (isStored) await this.ctx.storage.delete(due.map(([key]) => key).slice(0, STORAGE_BATCH_MAX));
      return false;
    }
    let targets: PushTarget[];
    try {
      targets = this.#freshTargets(due, Date.now()) ?? (await query(env.DATABASE, "pushTargetsOf", { userId }));
    } catch (error) {
      console.warn(`push: could not read subscriptions, retrying: ${(error as Error).message}`);
      // Written down to wait, unless a newer notice for the channel came meanwhile.
      const later = Date.now() + DATABASE_RETRY_MS;
      await this.#store(
        due.filter(([key]) => !this.#fresh.has(key)).map(([key, entry]) => [key, { ...entry, dueAt: later }]),
      );
      return true;
    }
    const vapid = {
      keys: await vapidKeys(env.VAPID_PRIVATE_KEY),
      subject: env.VAPID_SUBJECT || env.PUBLIC_URL,
    };
    const outcomes = await Promise.all(due.map(([, entry]) => this.#send(env, entry, targets, vapid)));
    return this.#settle(env, due, outcomes, isStored);
  }

  async #store(entries: [string, QueuedPush][]): Promise<void> {
    for (let start = 0; start < entries.length; start += STORAGE_BATCH_MAX) {
      await this.ctx.storage.put(Object.fromEntries(entries.slice(start, start + STORAGE_BATCH_MAX)));
    }
  }

  /** The newest decision's read, when every due entry is a first try and the read is recent. */
  #freshTargets(due: [string, QueuedPush][], now: number): PushTarget[] | null {
    const read = this.#read;
    if (!read || now - read.targetsReadAt > TARGETS_FRESH_MS) return null;
    return due.every(([, entry]) => entry.attempts === 0) ? read.targets : null;
  }

  /** One entry to each of its subscriptions, at once; returns each subscription's outcome. */
  async #send(
    env: PushEnv,
    entry: QueuedPush,
    targets: PushTarget[],
    vapid: Parameters<typeof pushRequest>[2],
  ): Promise<Map<string, Outcome>> {
    const chosen = entry.pending ? targets.filter((target) => entry.pending!.includes(target.id)) : targets;
    const ttlSeconds = (entry.expiresAt - Date.now()) / 1000;
    const outcomes = new Map<string, Outcome>();
    if (ttlSeconds < 1) return outcomes;
    await Promise.all(
      chosen.map(async (target) => {
        outcomes.set(target.id, await this.#sendOne(env, target, entry.notice, vapid, ttlSeconds));
      }),
    );
    return outcomes;
  }

  async #sendOne(
    env: PushEnv,
    target: PushTarget,
    notice: PushNotice,
    vapid: Parameters<typeof pushRequest>[2],
    ttlSeconds: number,
  ): Promise<Outcome> {
    const outbound = URL.canParse(target.endpoint) ? outboundFor(env, new URL(target.endpoint)) : null;
    if (!outbound) return "gone"; // stored before a rule tightened: it can never be sent to
    try {
      const request = await pushRequest(target, notice, vapid, ttlSeconds);
      const response = await outbound(new Request(request, { signal: AbortSignal.timeout(SEND_TIMEOUT_MS) }));
      await response.body?.cancel();
      if (response.ok) return "delivered";
      if (response.status === 404 || response.status === 410) return "gone";
      if (response.status === 429 || response.status >= 500) return "retry";
      // 400, 401, 403 (a key the subscription was not made with), 413: sending again will not help.
      console.warn(`push: ${serviceHost(target.endpoint)} refused a push with ${response.status}`);
      return "refused";
    } catch (error) {
      console.warn(`push: ${serviceHost(target.endpoint)} unreachable: ${(error as Error).name}`);
      return "retry";
    }
  }

  /** Records what happened: gone subscriptions deleted, entries finished or kept for a retry; true if any was kept. */
  async #settle(
    env: PushEnv,
    due: [string, QueuedPush][],
    outcomes: Map<string, Outcome>[],
    isStored: boolean,
  ): Promise<boolean> {
    const gone = new Set<string>();
    const delivered = new Set<string>();
    for (const results of outcomes) {
      for (const [id, outcome] of results) {
        if (outcome === "gone") gone.add(id);
        if (outcome === "delivered") delivered.add(id);
      }
    }
    await this.#recordDeliveries(env, [...gone], [...delivered]);
    const now = Date.now();
    let isKept = false;
    for (const [index, [key, entry]] of due.entries()) {
      const retry = [...outcomes[index]!].filter(([, outcome]) => outcome === "retry").map(([id]) => id);
      const attempts = entry.attempts + 1;
      const dueAt = now + Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** (attempts - 1));
      const isDone = retry.length === 0 || attempts >= ATTEMPTS_MAX || dueAt >= entry.expiresAt;
      // Replaced while it was being sent: the newer notice stands, and goes to everyone.
      if (this.#fresh.has(key)) continue;
      if (isStored && (await this.ctx.storage.get<QueuedPush>(key))?.version !== entry.version) continue;
      if (isDone) {
        if (isStored) await this.ctx.storage.delete(key);
      } else {
        await this.ctx.storage.put(key, { ...entry, attempts, dueAt, pending: retry });
        isKept = true;
      }
    }
    return isKept;
  }

  async #recordDeliveries(env: PushEnv, gone: string[], delivered: string[]): Promise<void> {
    const now = Date.now();
    const toMark = delivered.filter((id) => now - (this.#markedAt.get(id) ?? 0) > DELIVERED_MARK_INTERVAL_MS);
    try {
      if (gone.length > 0) await query(env.DATABASE, "removePushSubscriptions", { ids: gone });
      if (toMark.length > 0) {
        await query(env.DATABASE, "markPushDelivered", { ids: toMark });
        for (const id of toMark) this.#markedAt.set(id, now);
      }
    } catch (error) {
      // A lost mark is harmless; a gone subscription answers 410 again next time.
      console.warn(`push: could not record deliveries: ${(error as Error).message}`);
    }
  }

  /** Past ENTRIES_MAX waiting channels, the oldest entries go: a bound on what one person can pile up. */
  async #trim(): Promise<void> {
    const entries = await this.ctx.storage.list<QueuedPush>({ prefix: ENTRY_PREFIX });
    if (entries.size <= ENTRIES_MAX) return;
    const oldest = [...entries]
      .sort(([, a], [, b]) => a.queuedAt - b.queuedAt)
      .slice(0, Math.min(entries.size - ENTRIES_MAX, STORAGE_BATCH_MAX));
    await this.ctx.storage.delete(oldest.map(([key]) => key));
  }

  async #scheduleNext(): Promise<void> {
    const entries = await this.ctx.storage.list<QueuedPush>({ prefix: ENTRY_PREFIX });
    if (entries.size === 0) return;
    const next = Math.min(...[...entries.values()].map((entry) => entry.dueAt));
    await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
  }
}
