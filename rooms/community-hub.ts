/**
 * CommunityHub: one Durable Object per community that knows which members are
 * online right now (through their account sockets) and with which shown status.
 * It relays presence changes, channel activity and voice channels' calls to them,
 * so a message or a status change costs one call per online member, never one per member.
 */
import { DurableObject } from "cloudflare:workers";
import type { ChannelActivity, EventsServerFrame, ShownStatus } from "../protocol/index.ts";
import { log } from "../db/index.ts";
import type { ChannelPlace } from "./visible-channels.ts";

const MEMBER_KEY = "member:";
/** Keys one storage call may delete. */
const STORAGE_BATCH = 128;
/**
 * How channels' activity is gathered before it goes out, one call and one frame per
 * online member for all of it: the first after a quiet spell waits ACTIVITY_GATHER_MS,
 * later ones go at most once per ACTIVITY_RELAY_INTERVAL_MS. Fifty busy channels each
 * flushing once a second to 63 online members made 3,150 calls and 50,000 socket
 * frames a second, the server's thread full and every message seconds late; gathered
 * for 200 ms, still 315 calls a second, each about a millisecond of the thread
 * (bench/README.md, "Latency ladder"). Badges of a busy community move each second.
 */
export const ACTIVITY_GATHER_MS = 200;
const ACTIVITY_RELAY_INTERVAL_MS = 1_000;

export class CommunityHub extends DurableObject<Env> {
  /** Storage's member list, read once per wake: every relay needs it, and only this object writes it. */
  #members: Promise<Map<string, ShownStatus>> | undefined;

  /** An account socket came online (or resubscribes): returns the others who show as present. */
  async subscribe(userId: string, status: ShownStatus): Promise<{ userId: string; status: ShownStatus }[]> {
    await this.setStatus(userId, status);
    const online = await this.#online();
    return [...online]
      .filter(([other, shown]) => other !== userId && shown !== "offline")
      .map(([other, shown]) => ({ userId: other, status: shown }));
  }

  async setStatus(userId: string, status: ShownStatus): Promise<void> {
    const members = await this.#online();
    const previous = members.get(userId);
    await this.ctx.storage.put(MEMBER_KEY + userId, status);
    members.set(userId, status);
    if (previous !== status && !(previous === undefined && status === "offline")) {
      await this.#relay({ type: "presence", users: [{ userId, status }] }, userId);
    }
  }

  async unsubscribe(userId: string): Promise<void> {
    const members = await this.#online();
    const previous = members.get(userId);
    await this.ctx.storage.delete(MEMBER_KEY + userId);
    members.delete(userId);
    if (previous && previous !== "offline") {
      await this.#relay({ type: "presence", users: [{ userId, status: "offline" }] }, userId);
    }
  }

  /** Activity gathered for the next relay, that relay once one is due, and the one running. */
  #gathered: ChannelActivity[] = [];
  #gathering: Promise<void> | null = null;
  #relaying: Promise<void> = Promise.resolve();
  #lastRelayAt = Number.NEGATIVE_INFINITY;

  /**
   * New messages in one of the community's channels: to every online member who may view
   * it, together with whatever other channels' activity comes meanwhile (see above). One
   * relay at a time, so a member never hears a channel's older activity after its newer.
   * Resolves once relayed (the room keeps itself alive until then).
   */
  activity(frame: ChannelActivity): Promise<void> {
    this.#gathered.push(frame);
    if (this.#gathering) return this.#gathering;
    // Bounded both ways, so a clock set back cannot hold activity for long.
    const delay = Math.min(
      ACTIVITY_RELAY_INTERVAL_MS,
      Math.max(ACTIVITY_GATHER_MS, this.#lastRelayAt + ACTIVITY_RELAY_INTERVAL_MS - Date.now()),
    );
    const previous = this.#relaying;
    this.#gathering = new Promise((resolve) => setTimeout(resolve, delay))
      .then(() => previous)
      .then(() => this.#relayGathered());
    this.#relaying = this.#gathering.catch(() => undefined);
    return this.#gathering;
  }

  async #relayGathered(): Promise<void> {
    // Written once here, not once per member: each member's object only picks.
    const activities = this.#gathered.map((activity) => ({
      channelId: activity.channelId,
      communityId: activity.communityId,
      json: JSON.stringify(activity),
    }));
    this.#gathered = [];
    this.#gathering = null;
    this.#lastRelayAt = Date.now();
    const targets = [...(await this.#online()).keys()];
    const results = await Promise.allSettled(
      targets.map((userId) => this.env.USER_SOCKETS.getByName(userId).pushActivities(activities)),
    );
    const failed = results.filter((result) => result.status === "rejected").length;
    if (failed > 0) log.warn("members_not_reached", { failed, of: targets.length });
  }

  /** A call in one of the community's voice channels changed: to every online member who may view it. */
  async call(frame: Extract<EventsServerFrame, { type: "call" }>, communityId: string): Promise<void> {
    await this.#relay(frame, null, { channelId: frame.channelId, communityId });
  }

  /** The community's channel list (or the community itself) changed: online members fetch it again. */
  async changed(frame: Extract<EventsServerFrame, { type: "changed" }>): Promise<void> {
    await this.#relay(frame, null);
    if (frame.scope === "communities") {
      await this.ctx.storage.deleteAll();
      this.#members = Promise.resolve(new Map());
    }
  }

  #online(): Promise<Map<string, ShownStatus>> {
    this.#members ??= this.#load().catch((error: unknown) => {
      this.#members = undefined; // read again next time
      throw error;
    });
    return this.#members;
  }

  /**
   * The stored list, less whoever no longer holds an account socket: a process
   * killed outright (a crash, a SIGKILL) runs no close handler, so its members
   * would otherwise show as online for ever. Each listed member's UserSockets
   * object is asked once per wake; one that cannot answer is kept.
   */
  async #load(): Promise<Map<string, ShownStatus>> {
    const listed = await this.ctx.storage.list<ShownStatus>({ prefix: MEMBER_KEY });
    const members = new Map([...listed].map(([key, status]) => [key.slice(MEMBER_KEY.length), status]));
    const userIds = [...members.keys()];
    const answers = await Promise.allSettled(
      userIds.map((userId) => this.env.USER_SOCKETS.getByName(userId).isOnline()),
    );
    const gone = userIds.filter((_, index) => {
      const answer = answers[index]!;
      return answer.status === "fulfilled" && !answer.value;
    });
    for (let start = 0; start < gone.length; start += STORAGE_BATCH) {
      await this.ctx.storage.delete(gone.slice(start, start + STORAGE_BATCH).map((userId) => MEMBER_KEY + userId));
    }
    const shownOnline = gone.filter((userId) => members.get(userId) !== "offline");
    for (const userId of gone) members.delete(userId);
    // Those still here were told these were online before this object slept (those
    // subscribing from now on get a snapshot without them).
    if (shownOnline.length > 0 && members.size > 0) {
      const users = shownOnline.map((userId) => ({ userId, status: "offline" as const }));
      void this.#push([...members.keys()], { type: "presence", users });
    }
    return members;
  }

  async #relay(frame: EventsServerFrame, without: string | null, place?: ChannelPlace): Promise<void> {
    const targets = [...(await this.#online()).keys()].filter((userId) => userId !== without);
    await this.#push(targets, frame, place);
  }

  async #push(targets: string[], frame: EventsServerFrame, place?: ChannelPlace): Promise<void> {
    const results = await Promise.allSettled(
      targets.map((userId) => this.env.USER_SOCKETS.getByName(userId).push(frame, place)),
    );
    const failed = results.filter((result) => result.status === "rejected").length;
    if (failed > 0) log.warn("members_not_reached", { failed, of: targets.length });
  }
}
