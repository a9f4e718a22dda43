/**
 * Telling the world outside the room's sockets about its call: a `call` event on the
 * account sockets of everyone who may view the channel (through the community's hub for
 * a voice channel, which filters by visibility as it does for activity; straight to the
 * people of a DM), and the `active_calls` row `GET /api/calls` reads. Both carry the
 * whole call, so only the latest matters: each runs one at a time and skips to the
 * newest state, so a slow hub or database never reorders them.
 */
import { log, query } from "../../db/index.ts";
import type { CallSummary, EventsServerFrame } from "../../protocol/index.ts";

type CallEvent = Extract<EventsServerFrame, { type: "call" }>;

interface Audience {
  communityId: string | null;
  directUserIds: string[];
}

class LatestOnly<T> {
  #next: { value: T } | null = null;
  #running: Promise<void> | null = null;
  readonly work: (value: T) => Promise<void>;
  constructor(work: (value: T) => Promise<void>) {
    this.work = work;
  }

  /** Runs `work` with `value` once the previous run ended, unless a newer value comes first. */
  offer(value: T): Promise<void> {
    this.#next = { value };
    this.#running ??= this.#drain();
    return this.#running;
  }

  async #drain(): Promise<void> {
    while (this.#next) {
      const { value } = this.#next;
      this.#next = null;
      await this.work(value).catch((error: Error) => log.warn("call_not_published", { error: error.message }));
    }
    this.#running = null;
  }
}

export class CallAnnouncer {
  readonly env: Pick<Env, "COMMUNITY_HUB" | "USER_SOCKETS" | "DATABASE">;
  readonly keepAlive: (work: Promise<unknown>) => void;
  #events: LatestOnly<{ frame: CallEvent; audience: Audience }>;
  #rows: LatestOnly<{ channelId: string; summary: CallSummary | null }>;

  constructor(
    env: Pick<Env, "COMMUNITY_HUB" | "USER_SOCKETS" | "DATABASE">,
    keepAlive: (work: Promise<unknown>) => void,
  ) {
    this.env = env;
    this.keepAlive = keepAlive;
    this.#events = new LatestOnly(({ frame, audience }) => this.#tell(frame, audience));
    this.#rows = new LatestOnly(({ channelId, summary }) =>
      summary
        ? query(this.env.DATABASE, "saveActiveCall", summary)
        : query(this.env.DATABASE, "endActiveCall", { channelId }),
    );
  }

  /** The call in `channelId` is now `summary` (null: it ended). */
  publish(channelId: string, summary: CallSummary | null, audience: Audience): void {
    this.keepAlive(this.#events.offer({ frame: { type: "call", channelId, call: summary }, audience }));
    this.keepAlive(this.#rows.offer({ channelId, summary }));
  }

  async #tell(frame: CallEvent, audience: Audience): Promise<void> {
    if (audience.communityId) {
      await this.env.COMMUNITY_HUB.getByName(audience.communityId).call(frame, audience.communityId);
      return;
    }
    await Promise.allSettled(
      audience.directUserIds.map((userId) =>
        this.env.USER_SOCKETS.getByName(userId).push(frame, { channelId: frame.channelId, communityId: null }),
      ),
    );
  }
}
