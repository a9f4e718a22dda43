/**
 * Every change to a call ends here: stored, then told to every socket of the room
 * (`call.roster`), to the account sockets of those who may view the channel and to
 * PostgreSQL (rooms/calls/call-announcer.ts). Taking someone out and ending the call
 * live here too, since every way out (leaving, a moderator, lost access, a closed
 * socket, the ring running out) ends the same way.
 */
import type { CallLeftReason, ServerFrame } from "../../protocol/index.ts";
import { broadcastFrame, send } from "../room-frames.ts";
import { callOutcome, callSummary, callView, type StoredCall, type StoredParticipant } from "./call-record.ts";
import type { CallRoom } from "./call-room.ts";

/** Stores the call as it is now and tells everyone; ends a DM call whose people are gone. */
export function callChanged(room: CallRoom, call: StoredCall): void {
  if (isOver(call)) return endCall(room, call);
  room.calls.save(call);
  broadcastFrame(room, rosterFrame(room, call));
  room.callAnnouncer.publish(call.channelId, callSummary(call), call);
  room.scheduleAlarm();
}

export function rosterFrame(room: CallRoom, call: StoredCall | null): ServerFrame {
  return { type: "call.roster", channelId: room.name, call: call && callView(call, room.calls.speaking) };
}

/** Takes a participant out (telling its socket why), then tells everyone. */
export function removeParticipant(
  room: CallRoom,
  call: StoredCall,
  participant: StoredParticipant,
  reason: CallLeftReason,
): void {
  tellLeft(room, call, participant, reason);
  room.calls.forget(participant.participantId);
  callChanged(room, {
    ...call,
    participants: call.participants.filter((other) => other.participantId !== participant.participantId),
  });
}

/**
 * A voice channel's call ends when its last participant leaves. A DM call also ends when
 * one person is left and nobody is being rung any more: the others hung up, declined, or
 * never answered.
 */
function isOver(call: StoredCall): boolean {
  if (call.participants.length === 0) return true;
  return call.isDirect && call.participants.length === 1 && call.ringing.length === 0;
}

function endCall(room: CallRoom, call: StoredCall): void {
  for (const participant of call.participants) tellLeft(room, call, participant, "ended");
  room.calls.clear();
  broadcastFrame(room, {
    type: "call.ended",
    callId: call.callId,
    startedBy: call.startedBy,
    outcome: callOutcome(call),
    durationMs: Math.max(0, Date.now() - call.startedAt),
  });
  broadcastFrame(room, rosterFrame(room, null));
  room.callAnnouncer.publish(call.channelId, null, call);
  room.scheduleAlarm();
}

function tellLeft(room: CallRoom, call: StoredCall, participant: StoredParticipant, reason: CallLeftReason): void {
  const connection = participant.reconnectUntil === null ? room.connection(participant.connectionId) : undefined;
  if (connection) send(room, connection, { type: "call.left", callId: call.callId, reason });
}
