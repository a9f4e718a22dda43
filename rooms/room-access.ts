/**
 * What each person may do in this room, cached per user and reloaded when the
 * HTTP side reports a change (a kick, a ban, a time-out, a role or override edit,
 * a channel setting). Permissions are evaluated per frame against the cached
 * context with the current time, so a time-out lifts itself when it expires.
 * Slow mode remembers each person's last message in durable storage, so a room
 * that hibernates and wakes does not forget it.
 */
import { query, type ChannelContextRecord } from "../db/index.ts";
import { has, Permission } from "../protocol/index.ts";
import { permissionsIn } from "./channel-access.ts";

const SLOW_MODE_KEY = (userId: string) => `slow-mode:${userId}`;
/**
 * Changes are pushed to the room at once; this bound only matters if a push was
 * lost (the room was unreachable at that moment): then access is re-read within a minute.
 */
const CONTEXT_MAX_AGE_MS = 60_000;

interface LastSend {
  at: number;
  clientId: string;
}

export type SlowModeVerdict = { isAllowed: true; release(): void } | { isAllowed: false; retryAfterMs: number };

export class RoomAccess {
  #contexts = new Map<string, { loadedAt: number; context: Promise<ChannelContextRecord | null> }>();
  #lastSends = new Map<string, LastSend>();

  readonly channelId: string;
  readonly database: Env["DATABASE"];
  readonly storage: DurableObjectStorage;
  constructor(channelId: string, database: Env["DATABASE"], storage: DurableObjectStorage) {
    this.channelId = channelId;
    this.database = database;
    this.storage = storage;
  }

  /** The channel as `userId` may reach it, or null when they may not. */
  context(userId: string, now = Date.now()): Promise<ChannelContextRecord | null> {
    const cached = this.#contexts.get(userId);
    if (cached && now - cached.loadedAt < CONTEXT_MAX_AGE_MS) return cached.context;
    const entry = {
      loadedAt: now,
      context: query(this.database, "channelContext", { channelId: this.channelId, userId }),
    };
    // A failed load is not remembered: the next frame tries again.
    entry.context.catch(() => {
      if (this.#contexts.get(userId) === entry) this.#contexts.delete(userId);
    });
    this.#contexts.set(userId, entry);
    return entry.context;
  }

  /** Caches a context loaded by someone else (the room's admission of a socket) as fresh. */
  remember(userId: string, context: ChannelContextRecord | null, now = Date.now()): void {
    this.#contexts.set(userId, { loadedAt: now, context: Promise.resolve(context) });
  }

  async permissions(userId: string, now = Date.now()): Promise<number> {
    const context = await this.context(userId);
    return context ? permissionsIn(context, userId, now) : 0;
  }

  /** Forgets one person's cached access, or everyone's. */
  forget(userId: string | null): void {
    if (userId) this.#contexts.delete(userId);
    else this.#contexts.clear();
  }

  /**
   * Slow mode: whether `userId` may send now. A resend of their last accepted
   * client id always passes (it is answered from the database, not stored twice).
   * An allowed send is recorded at once, so two frames racing cannot both pass;
   * `release()` undoes it when the message was not stored after all.
   */
  async slowMode(userId: string, clientId: string, now = Date.now()): Promise<SlowModeVerdict> {
    const context = await this.context(userId);
    const seconds = context?.channel.slowModeSeconds ?? 0;
    const permissions = context ? permissionsIn(context, userId, now) : 0;
    const isExempt = has(permissions, Permission.MANAGE_MESSAGES) || has(permissions, Permission.MANAGE_CHANNELS);
    if (seconds === 0 || isExempt) return { isAllowed: true, release: () => {} };
    const stored = this.#lastSends.has(userId) ? undefined : await this.storage.get<LastSend>(SLOW_MODE_KEY(userId));
    // From here to the record below nothing awaits, so two racing frames cannot both pass.
    const last = this.#lastSends.get(userId) ?? stored;
    if (last && last.clientId === clientId) return { isAllowed: true, release: () => {} };
    const waitMs = last ? last.at + seconds * 1000 - now : 0;
    if (waitMs > 0) return { isAllowed: false, retryAfterMs: waitMs };
    const mine = { at: now, clientId };
    this.#lastSends.set(userId, mine);
    void this.storage.put(SLOW_MODE_KEY(userId), mine);
    return {
      isAllowed: true,
      release: () => {
        if (this.#lastSends.get(userId) !== mine) return;
        this.#lastSends.delete(userId);
        if (last) void this.storage.put(SLOW_MODE_KEY(userId), last);
        else void this.storage.delete(SLOW_MODE_KEY(userId));
      },
    };
  }
}
