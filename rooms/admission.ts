/**
 * Admitting a socket to a channel's room: counted against its account's socket cap,
 * its session and access checked again in one query (the ticket is a minute old), then
 * welcomed. Only an admitted socket hears anything from the room.
 */
import type { Connection } from "partyserver";
import { errorText, log, query } from "../db/index.ts";
import {
  CLOSE_ACCESS_REMOVED,
  CLOSE_SESSION_ENDED,
  CLOSE_TOO_MANY_SOCKETS,
  permissionNames,
} from "../protocol/index.ts";
import type { Member } from "./identity.ts";
import type { Outbox } from "./outbox.ts";
import type { RoomAccess } from "./room-access.ts";
import { send } from "./room-frames.ts";

/** Sockets one account may hold across all rooms (tabs, devices); more is a runaway client. */
export const DEFAULT_SOCKETS_PER_USER = 32;

export interface AdmittingRoom {
  name: string;
  database: Env["DATABASE"];
  userSockets: Env["USER_SOCKETS"];
  access: RoomAccess;
  outbox: Outbox;
  socketsPerUser: number;
  /** Adds the socket to those the room relays to. */
  admit(connection: Connection<Member>): void;
}

/** Admits the socket and welcomes it, or closes it with the reason; returns whether it was admitted. */
export async function admitSocket(
  room: AdmittingRoom,
  connection: Connection<Member>,
  member: Member,
): Promise<boolean> {
  let permissions: number;
  let position: { lastSeq: number; lastEvent: number } | null;
  try {
    // Register first, then check the session and access again: a revocation or a kick
    // commits before it walks the rooms, so either it finds this socket or these checks see it.
    const sockets = room.userSockets.getByName(member.userId);
    let open = await sockets.opened(room.name);
    connection.setState(member);
    if (open > room.socketsPerUser) open = await sockets.reconcile(member.userId);
    if (open > room.socketsPerUser) {
      connection.close(CLOSE_TOO_MANY_SOCKETS, `at most ${room.socketsPerUser} open sockets per account`);
      return false;
    }
    const admission = await query(room.database, "socketAdmission", {
      channelId: room.name,
      userId: member.userId,
      sessionId: member.sessionId,
    });
    if (!admission.isSessionLive) {
      connection.close(CLOSE_SESSION_ENDED, "session ended");
      return false;
    }
    room.access.remember(member.userId, admission.context);
    permissions = await room.access.permissions(member.userId);
    position = admission.context && {
      lastSeq: admission.context.channel.lastSeq,
      lastEvent: admission.context.channel.lastEvent,
    };
  } catch (error) {
    log.error("socket_not_admitted", { channelId: room.name, error: errorText(error) });
    connection.close(1011, "try again");
    return false;
  }
  if (permissions === 0 || !position) {
    connection.close(CLOSE_ACCESS_REMOVED, "no access to this channel");
    return false;
  }
  connection.setState({ ...member, permissions });
  room.admit(connection);
  room.outbox.flush(); // anything queued for it before admission (an error) goes first, apart
  send(room, connection, {
    type: "welcome",
    channelId: room.name,
    userId: member.userId,
    permissions: permissionNames(permissions),
    ...position,
  });
  room.outbox.flush(); // the welcome goes out alone, never in a batch: clients wait for it as it is
  return true;
}
