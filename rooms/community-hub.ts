/**
 * CommunityHub: one Durable Object per community that knows which members are
 * online right now (through their account sockets) and with which shown status.
 * It relays presence changes and channel activity to them, so a message or a
 * status change costs one call per online member, never one per member.
 */
import { DurableObject } from "cloudflare:workers";
import type { EventsServerFrame, ShownStatus } from "../protocol/index.ts";

const MEMBER_KEY = "member:";

export class CommunityHub extends DurableObject<Env> {
  /** Storage's member list, read once per wake: every relay needs it, and only this object writes it. */
  #members: Map<string, ShownStatus> | undefined;

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

  /** New messages in one of the community's channels: to every online member who may view it. */
  async activity(frame: Extract<EventsServerFrame, { type: "activity" }>): Promise<void> {
    await this.#relay(frame, null, frame.channelId);
  }

  /** The community's channel list (or the community itself) changed: online members fetch it again. */
  async changed(frame: Extract<EventsServerFrame, { type: "changed" }>): Promise<void> {
    await this.#relay(frame, null);
    if (frame.scope === "communities") {
      await this.ctx.storage.deleteAll();
      this.#members = new Map();
    }
  }

  async #online(): Promise<Map<string, ShownStatus>> {
    if (!this.#members) {
      const listed = await this.ctx.storage.list<ShownStatus>({ prefix: MEMBER_KEY });
      this.#members ??= new Map([...listed].map(([key, status]) => [key.slice(MEMBER_KEY.length), status]));
    }
    return this.#members;
  }

  async #relay(frame: EventsServerFrame, without: string | null, channelId?: string): Promise<void> {
    const targets = [...(await this.#online()).keys()].filter((userId) => userId !== without);
    const results = await Promise.allSettled(
      targets.map((userId) => this.env.USER_SOCKETS.getByName(userId).push(frame, channelId)),
    );
    const failed = results.filter((result) => result.status === "rejected").length;
    if (failed > 0) console.warn(`community hub: ${failed} of ${targets.length} members were not reached`);
  }
}
