/**
 * Telling the people of a channel, on their account sockets, that it has new
 * messages (for unread badges and notifications). Coalesced: a busy channel sends
 * at most one activity frame per window, naming its last seq and everyone mentioned
 * since the previous one. Community channels go through the community's hub (one
 * call per online member); DMs straight to their participants.
 */
import type { ChannelContextRecord, MessageRecord } from "../db/index.ts";
import type { EventsServerFrame } from "../protocol/index.ts";
import { notifyWindow } from "./notify/notify-window.ts";
import { errorText, log } from "../db/index.ts";

export const ACTIVITY_WINDOW_MS = 250;
/**
 * And at most once per this long: each frame is a call to the community's hub, and at
 * 250 ms fifty busy channels made 200 calls a second, a tenth of the server's thread
 * under the throughput bench. Badges of a busy channel move each second.
 */
export const ACTIVITY_INTERVAL_MS = 1_000;

type ActivityFrame = Extract<EventsServerFrame, { type: "activity" }>;

export class ActivityNotifier {
  #pending: ActivityFrame | null = null;
  #context: ChannelContextRecord | null = null;
  #lastFlushAt = Number.NEGATIVE_INFINITY;

  readonly env: Env;
  /** Keeps the room alive until a scheduled flush ran (ctx.waitUntil). */
  readonly keepAlive: (work: Promise<unknown>) => void;
  constructor(env: Env, keepAlive: (work: Promise<unknown>) => void) {
    this.env = env;
    this.keepAlive = keepAlive;
  }

  note(message: MessageRecord, context: ChannelContextRecord): void {
    this.#context = context;
    const pending = this.#pending;
    if (pending) {
      pending.lastSeq = Math.max(pending.lastSeq, message.seq);
      if (!pending.senderIds.includes(message.senderId)) pending.senderIds.push(message.senderId);
      pending.mentions.userIds = [...new Set([...pending.mentions.userIds, ...message.mentionedUserIds])];
      pending.mentions.roleIds = [...new Set([...pending.mentions.roleIds, ...message.mentionedRoleIds])];
      pending.mentions.everyone ||= message.mentionsEveryone;
      pending.mentions.here ||= message.mentionsHere;
      return;
    }
    this.#pending = {
      type: "activity",
      channelId: message.channelId,
      communityId: context.channel.communityId,
      lastSeq: message.seq,
      senderIds: [message.senderId],
      mentions: {
        userIds: [...message.mentionedUserIds],
        roleIds: [...message.mentionedRoleIds],
        everyone: message.mentionsEveryone,
        here: message.mentionsHere,
      },
    };
    // Bounded both ways, so a clock set back cannot hold notices for long.
    const delay = Math.min(
      ACTIVITY_INTERVAL_MS,
      Math.max(ACTIVITY_WINDOW_MS, this.#lastFlushAt + ACTIVITY_INTERVAL_MS - Date.now()),
    );
    this.keepAlive(new Promise((resolve) => setTimeout(resolve, delay)).then(() => this.#flush()));
  }

  async #flush(): Promise<void> {
    const frame = this.#pending;
    const context = this.#context;
    this.#pending = null;
    if (!frame || !context) return;
    this.#lastFlushAt = Date.now();
    // Web Push for those who should hear of it (rooms/notify/), beside the relay.
    this.keepAlive(notifyWindow(this.env, frame));
    try {
      if (context.scope === "community") {
        await this.env.COMMUNITY_HUB.getByName(context.channel.communityId!).activity(frame);
      } else {
        await Promise.allSettled(
          context.participants.map((participant) =>
            this.env.USER_SOCKETS.getByName(participant.userId).push(frame, {
              channelId: frame.channelId,
              communityId: null,
            }),
          ),
        );
      }
    } catch (error) {
      // Activity is a hint for badges; the counts themselves come from the database.
      log.warn("activity_not_relayed", { channelId: frame.channelId, error: errorText(error) });
    }
  }
}
