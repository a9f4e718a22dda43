/**
 * Every frame a socket sends passes here before its handler: the socket's own rate (unless
 * the room bounds that kind of frame itself), then its account's budget across all its sockets; a failure while handling is answered with
 * an error frame (partyserver does not await the hook, so an escaped error would be lost).
 */
import type { Connection, WSMessage } from "partyserver";
import { count, DatabaseError, errorText, log } from "../db/index.ts";
import { SOCKET_FRAME_MAX_BYTES } from "../protocol/index.ts";
import type { ChatRoom } from "./chat-room.ts";
import type { FrameRateLimiter } from "./frame-rate-limiter.ts";
import type { Member } from "./identity.ts";
import { send } from "./room-frames.ts";
import type { RoomBudgets } from "./user-budget.ts";

export class FrameIntake {
  readonly rateLimiter: FrameRateLimiter;
  readonly budgets: RoomBudgets;
  constructor(rateLimiter: FrameRateLimiter, budgets: RoomBudgets) {
    this.rateLimiter = rateLimiter;
    this.budgets = budgets;
  }

  async receive<Room extends ChatRoom>(
    room: Room,
    connection: Connection<Member>,
    message: WSMessage,
    handle: (room: Room, connection: Connection<Member>, message: WSMessage) => Promise<void>,
    isRateExempt = false,
  ): Promise<void> {
    // Name the refused request, when it has a client id, so the client can retry it later.
    const clientId =
      typeof message === "string" ? /"clientId":"([A-Za-z0-9_-]{8,64})"/.exec(message.slice(0, 512))?.[1] : undefined;
    if (!isRateExempt && !this.rateLimiter.allow(connection.id)) {
      count("chatalot_refusals_total", { code: "socket_frame_rate" });
      return send(room, connection, {
        type: "error",
        code: "rate_limited",
        message: "too many frames: slow down",
        clientId,
      });
    }
    const spending = connection.state ? this.#spendBudget(connection.state.userId, message) : true;
    const isWithinBudget = spending === true || (await Promise.resolve(spending).catch(() => null));
    if (isWithinBudget === null) {
      // The person's UserSockets object could not be asked: say so, so the client retries.
      return send(room, connection, { type: "error", code: "unavailable", message: "try again shortly", clientId });
    }
    if (!isWithinBudget) {
      count("chatalot_refusals_total", { code: "socket_account_budget" });
      return send(room, connection, {
        type: "error",
        code: "rate_limited",
        message: "your sockets together are sending too much: slow down",
        clientId,
      });
    }
    try {
      await handle(room, connection, message);
    } catch (error) {
      // Reading access with a cold cache while the database is down lands here: say so, so it is retried.
      const isUnavailable = error instanceof DatabaseError && error.kind === "unavailable";
      if (!isUnavailable) log.error("frame_failed", { channelId: room.name, error: errorText(error) });
      send(room, connection, {
        type: "error",
        code: isUnavailable ? "unavailable" : "internal",
        message: isUnavailable ? "the database is unreachable: retry" : "the frame could not be handled",
        clientId,
      });
    }
  }

  forget(connectionId: string): void {
    this.rateLimiter.forget(connectionId);
  }

  /** A frame's cost to its sender's account-wide budget: its size, and more for a resume (it reads history). */
  #spendBudget(userId: string, message: WSMessage): boolean | Promise<boolean> {
    const size = typeof message === "string" ? message.length : message.byteLength;
    // A frame over the cap is refused by the parser (frame_too_large) and costs nothing.
    if (size > SOCKET_FRAME_MAX_BYTES) return true;
    // A resume is not charged: the first frame after every reconnect is one, and waiting for a
    // lease there changed when catch-up ran against live relays (the chaos test once saw a
    // client end two messages short). Resumes stay bounded by the socket's own frame limit.
    const isResume = typeof message === "string" && /"type"\s*:\s*"resume"/.test(message.slice(0, 256));
    if (isResume) return true;
    return this.budgets.spend(userId, size);
  }
}
