/**
 * What a participant shows of itself: `call.state` (muted, deafened, camera, screen; told
 * to the whole room with the roster) and `call.speaking` (a hint many times a minute: told
 * to the call's participants only, and never stored).
 */
import type { Connection } from "partyserver";
import type { ClientFrame } from "../../protocol/index.ts";
import type { Member } from "../identity.ts";
import { send } from "../room-frames.ts";
import { callChanged } from "./call-changes.ts";
import { isServerMuted } from "./call-record.ts";
import type { CallRoom } from "./call-room.ts";

type StateFrame = Extract<ClientFrame, { type: "call.state" }>;
type SpeakingFrame = Extract<ClientFrame, { type: "call.speaking" }>;

export function setMediaState(room: CallRoom, connection: Connection<Member>, frame: StateFrame): void {
  const call = room.calls.call;
  const participant = room.calls.participantOn(connection.id);
  if (!call || !participant) return send(room, connection, notInCall);
  if (!participant.canVideo && (frame.state.camera || frame.state.screen)) {
    return send(room, connection, {
      type: "error",
      code: "missing_permission",
      message: "you need VIDEO to turn on a camera or share a screen",
    });
  }
  const changed = { ...participant, state: frame.state };
  callChanged(room, {
    ...call,
    participants: call.participants.map((other) => (other === participant ? changed : other)),
  });
}

export function setSpeaking(room: CallRoom, connection: Connection<Member>, frame: SpeakingFrame): void {
  const call = room.calls.call;
  const participant = room.calls.participantOn(connection.id);
  if (!call || !participant) return send(room, connection, notInCall);
  // Someone muted by the server is silent to the others, so never shown speaking.
  const speaking = frame.speaking && !isServerMuted(participant);
  if (room.calls.speaking.has(participant.participantId) === speaking) return;
  if (speaking) room.calls.speaking.add(participant.participantId);
  else room.calls.speaking.delete(participant.participantId);
  const message = JSON.stringify({ type: "call.speaking", participantId: participant.participantId, speaking });
  for (const other of call.participants) {
    if (other === participant || other.reconnectUntil !== null) continue;
    const target = room.connection(other.connectionId);
    if (target) room.outbox.post(target, message);
  }
}

const notInCall = { type: "error", code: "not_in_call", message: "join the call first" } as const;
