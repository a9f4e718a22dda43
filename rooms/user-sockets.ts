/**
 * UserSockets: one small Durable Object per user that knows which channel rooms
 * hold that user's sockets. Revoking a session or suspending a user asks it to
 * close them, so the effect is immediate rather than at the next token expiry.
 */
import { DurableObject } from "cloudflare:workers";

/** Which sockets to close: all of the user's, or only those of some sessions. */
export interface SocketSelector {
  userId: string;
  sessionIds: string[] | "all";
  reason: string;
}

export class UserSockets extends DurableObject<Env> {
  /** A room reports a socket of this user opened in it; returns how many the user now holds in all rooms. */
  async opened(channelId: string): Promise<number> {
    const count = (await this.ctx.storage.get<number>(channelId)) ?? 0;
    await this.ctx.storage.put(channelId, count + 1);
    let total = 0;
    for (const open of (await this.ctx.storage.list<number>()).values()) total += open;
    return total;
  }

  /**
   * Recounts by asking each listed room how many of the user's sockets it really
   * holds: counts drift upward when a process dies without running close hooks.
   * Returns the true total.
   */
  async reconcile(userId: string): Promise<number> {
    const rooms = [...(await this.ctx.storage.list<number>()).keys()];
    let total = 0;
    for (const channelId of rooms) {
      const open = await this.env.CHANNEL_ROOM.getByName(channelId)
        .socketsOf(userId)
        .catch(() => 0);
      if (open > 0) await this.ctx.storage.put(channelId, open);
      else await this.ctx.storage.delete(channelId);
      total += open;
    }
    return total;
  }

  /** A room reports one of this user's sockets closed. */
  async closed(channelId: string): Promise<void> {
    const count = ((await this.ctx.storage.get<number>(channelId)) ?? 1) - 1;
    if (count > 0) await this.ctx.storage.put(channelId, count);
    else await this.ctx.storage.delete(channelId);
  }

  /**
   * The user's access changed in these channels (a community's, say): each room
   * among them that holds a socket of theirs reloads it. Returns how many closed.
   */
  async accessChanged(userId: string, channelIds: string[]): Promise<number> {
    const mine = new Set((await this.ctx.storage.list<number>()).keys());
    const rooms = channelIds.filter((channelId) => mine.has(channelId));
    const results = await Promise.allSettled(
      rooms.map((channelId) => this.env.CHANNEL_ROOM.getByName(channelId).accessChanged(userId)),
    );
    return results.reduce((closed, result) => closed + (result.status === "fulfilled" ? result.value : 0), 0);
  }

  /** Closes the selected sockets in every room that has one; returns how many closed. */
  async disconnect(selector: SocketSelector): Promise<number> {
    const rooms = [...(await this.ctx.storage.list<number>()).keys()];
    // Every room is asked even if one fails, so one broken room cannot shield the rest.
    const results = await Promise.allSettled(
      rooms.map((channelId) => this.env.CHANNEL_ROOM.getByName(channelId).disconnect(selector)),
    );
    let closed = 0;
    results.forEach((result, index) => {
      if (result.status === "fulfilled") closed += result.value;
      else console.error(`user sockets: room ${rooms[index]} did not disconnect: ${String(result.reason)}`);
    });
    return closed;
  }
}
