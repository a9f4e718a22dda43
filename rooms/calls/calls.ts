/**
 * Calls in a channel room: the table of contents of the call frames (protocol/calls.ts,
 * docs/calls.md). The room is the call's bookkeeper and its signaling server; media
 * flows between the browsers.
 */
import type { Connection } from "partyserver";
import type { ClientFrame } from "../../protocol/index.ts";
import type { Member } from "../identity.ts";
import { leaveCall } from "./call-lifecycle.ts";
import type { CallRoom } from "./call-room.ts";
import { joinCall } from "./join-call.ts";
import { setMediaState, setSpeaking } from "./media-state.ts";
import { moderateCall } from "./moderate-call.ts";
import { relaySignal } from "./relay-signal.ts";

export type CallFrame = Extract<ClientFrame, { type: `call.${string}` }>;

export async function receiveCallFrame(
  room: CallRoom,
  connection: Connection<Member>,
  frame: CallFrame,
): Promise<void> {
  switch (frame.type) {
    case "call.join":
      return joinCall(room, connection, frame);
    case "call.leave":
      return leaveCall(room, connection);
    case "call.signal":
      return relaySignal(room, connection, frame);
    case "call.state":
      return setMediaState(room, connection, frame);
    case "call.speaking":
      return setSpeaking(room, connection, frame);
    case "call.moderate":
      return moderateCall(room, connection, frame);
    default:
      throw new Error(`unhandled call frame ${JSON.stringify(frame satisfies never)}`);
  }
}
