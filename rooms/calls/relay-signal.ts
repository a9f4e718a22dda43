/**
 * `call.signal`: an offer, answer or ICE candidate for one other participant, relayed
 * to that participant's socket only. The sender must be in the call, the recipient too;
 * an SDP may not send media the sender may not (SPEAK for audio, VIDEO for video);
 * candidates are counted per participant.
 */
import type { Connection } from "partyserver";
import type { ClientFrame } from "../../protocol/index.ts";
import type { Member } from "../identity.ts";
import { send } from "../room-frames.ts";
import type { CallRoom } from "./call-room.ts";
import { sendingKinds } from "./sdp-directions.ts";

type SignalFrame = Extract<ClientFrame, { type: "call.signal" }>;

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
  } else if (!room.calls.allowCandidate(sender.participantId, room.callSettings.candidatesPerMinute)) {
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
