/**
 * The ways out of a call that are not a moderator's: leaving, a socket that closes (a
 * grace period to come back), access that changes (at once), the deadlines the room's
 * alarm brings (grace and ring running out), a DM declined over HTTP, and the check
 * after the object starts again (sockets a restart took are given the grace period).
 */
import type { Connection } from "partyserver";
import { has, Permission } from "../../protocol/index.ts";
import type { Member } from "../identity.ts";
import { send } from "../room-frames.ts";
import { callChanged, removeParticipant } from "./call-changes.ts";
import type { CallRoom } from "./call-room.ts";

export function leaveCall(room: CallRoom, connection: Connection<Member>): void {
  const call = room.calls.call;
  const participant = room.calls.participantOn(connection.id);
  if (!call || !participant)
    return send(room, connection, { type: "error", code: "not_in_call", message: "you are not in this call" });
  removeParticipant(room, call, participant, "left");
}

/**
 * A socket closed. Closed by the room for lost access: its participant goes at once.
 * Otherwise it is shown reconnecting for the grace period, so a network blip heals by
 * the page's `call.join` with `rejoin`.
 */
export function socketClosed(room: CallRoom, connectionId: string, isAccessRemoved: boolean): void {
  const call = room.calls.call;
  const participant = room.calls.participantOn(connectionId);
  if (!call || !participant || participant.reconnectUntil !== null) return;
  if (isAccessRemoved) return removeParticipant(room, call, participant, "access_removed");
  room.calls.speaking.delete(participant.participantId);
  const away = { ...participant, reconnectUntil: Date.now() + room.callSettings.reconnectGraceMs };
  callChanged(room, {
    ...call,
    participants: call.participants.map((other) => (other === participant ? away : other)),
  });
}

/** A socket's permissions changed: without CONNECT its participant goes; SPEAK and VIDEO apply at once. */
export function permissionsChanged(room: CallRoom, connection: Connection<Member>, permissions: number): void {
  const call = room.calls.call;
  const participant = room.calls.participantOn(connection.id);
  if (!call || !participant) return;
  if (!has(permissions, Permission.CONNECT)) return removeParticipant(room, call, participant, "access_removed");
  const canSpeak = has(permissions, Permission.SPEAK);
  const canVideo = has(permissions, Permission.VIDEO);
  if (canSpeak === participant.canSpeak && canVideo === participant.canVideo) return;
  if (!canSpeak) room.calls.speaking.delete(participant.participantId);
  const state = canVideo ? participant.state : { ...participant.state, camera: false, screen: false };
  const changed = { ...participant, canSpeak, canVideo, state };
  callChanged(room, {
    ...call,
    participants: call.participants.map((other) => (other === participant ? changed : other)),
  });
}

/** What is due now: participants past their grace leave (`timed_out`), a ring past its time stops. */
export function callDeadlinesPassed(room: CallRoom, now = Date.now()): boolean {
  let call = room.calls.call;
  if (!call) return false;
  let isDue = false;
  for (const participant of call.participants) {
    if (participant.reconnectUntil === null || participant.reconnectUntil > now) continue;
    isDue = true;
    removeParticipant(room, call, participant, "timed_out");
    call = room.calls.call;
    if (!call) return true;
  }
  if (call.ringUntil !== null && call.ringUntil <= now) {
    isDue = true;
    callChanged(room, { ...call, ringing: [], ringUntil: null });
  }
  return isDue;
}

/** `userId` declines the ring (POST /api/channels/:id/call/decline); false when no call rings for them. */
export function declineCall(room: CallRoom, userId: string): boolean {
  const call = room.calls.call;
  if (!call || !call.ringing.includes(userId)) return false;
  const ringing = call.ringing.filter((other) => other !== userId);
  callChanged(room, {
    ...call,
    ringing,
    declined: [...call.declined, userId],
    ringUntil: ringing.length > 0 ? call.ringUntil : null,
  });
  return true;
}

/**
 * After the object starts again: a participant whose socket is gone (a restart took
 * it; hibernation keeps sockets) gets the grace period to come back, like any closed
 * socket, then leaves.
 */
export function callSocketsChecked(room: CallRoom): void {
  const call = room.calls.call;
  if (!call) return;
  const now = Date.now();
  let isChanged = false;
  const participants = call.participants.map((participant) => {
    if (participant.reconnectUntil !== null || room.connection(participant.connectionId)) return participant;
    isChanged = true;
    return { ...participant, reconnectUntil: now + room.callSettings.reconnectGraceMs };
  });
  if (isChanged) callChanged(room, { ...call, participants });
  else room.scheduleAlarm();
}
