/**
 * `call.signal`: an offer, answer or ICE candidate for one other participant, relayed
 * to that participant's socket only. The sender must be in the call, the recipient too;
 * an SDP may not send media the sender may not (SPEAK for audio, VIDEO for video);
 * candidates and descriptions are counted per participant.
 *
 * A participant's signals skip the socket's frame rate (rooms/frame-intake.ts): a newcomer
 * offering to a full mesh sends an offer and a dozen candidates per peer within a second,
 * far past that rate's burst; these per-minute counts bound them instead.
 */
import type { Connection } from "partyserver";
import type { ClientFrame } from "../../protocol/index.ts";
import type { Member } from "../identity.ts";
import { send } from "../room-frames.ts";
import type { CallRoom } from "./call-room.ts";
import { sendingKinds } from "./sdp-directions.ts";

type SignalFrame = Extract<ClientFrame, { type: "call.signal" }>;

/** Offers and answers one participant may send a minute: one each per peer and ICE restart, with room to spare. */
export const CALL_DESCRIPTIONS_PER_MINUTE = 120;

/** Whether a raw frame is a `call.signal` from a participant of the call (read before parsing: clients write `type` first). */
export function isParticipantSignal(room: CallRoom, connectionId: string, message: unknown): boolean {
  return (
    typeof message === "string" &&
    /^\s*\{\s*"type"\s*:\s*"call\.signal"/.test(message.slice(0, 64)) &&
    room.calls.participantOn(connectionId) !== undefined
  );
}

export function relaySignal(room: CallRoom, connection: Connection<Member>, frame: SignalFrame): void {
  const refuse = (code: "not_in_call" | "missing_permission" | "rate_limited", message: string) =>
    send(room, connection, { type: "error", code, message });
  const sender = room.calls.participantOn(connection.id);
  if (!sender) return refuse("not_in_call", "join the call before signaling");
  const recipient = room.calls.participant(frame.to);
  if (!recipient || recipient === sender) return refuse("not_in_call", `no other participant ${frame.to} in this call`);
  if (frame.description) {
    const sending = sendingKinds(frame.description.sdp);
    if (sending.has("audio") && !sender.canSpeak) {
      return refuse("missing_permission", "you need SPEAK to send audio: make the audio sections recvonly or inactive");
    }
    if (sending.has("video") && !sender.canVideo) {
      return refuse("missing_permission", "you need VIDEO to send video: make the video sections recvonly or inactive");
    }
    if (!room.calls.allowSignal(sender.participantId, "description", CALL_DESCRIPTIONS_PER_MINUTE)) {
      return refuse("rate_limited", `at most ${CALL_DESCRIPTIONS_PER_MINUTE} offers and answers a minute`);
    }
  } else if (!room.calls.allowSignal(sender.participantId, "candidate", room.callSettings.candidatesPerMinute)) {
    return refuse("rate_limited", `at most ${room.callSettings.candidatesPerMinute} ICE candidates a minute`);
  }
  // A participant whose socket is away misses this; its rejoin restarts ICE with fresh signals.
  const target = recipient.reconnectUntil === null ? room.connection(recipient.connectionId) : undefined;
  if (!target) return;
  send(
    room,
    target,
    frame.description
      ? { type: "call.signal", from: sender.participantId, description: frame.description }
      : { type: "call.signal", from: sender.participantId, candidate: frame.candidate! },
  );
}
