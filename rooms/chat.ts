/**
 * Chat in a channel room: the table of contents of what a client may ask. Each
 * frame is parsed, then handed to the function for its type; each checks the
 * sender's permissions in this channel at this moment. Call frames go to rooms/calls/.
 */
import type { Connection } from "partyserver";
import { resume } from "./catch-up.ts";
import type { CallRoom } from "./calls/call-room.ts";
import { receiveCallFrame } from "./calls/calls.ts";
import type { Member } from "./identity.ts";
import { changeMessage, changeReaction, setPin } from "./message-actions.ts";
import { parseFrame } from "./parse-frame.ts";
import { announceTyping, markRead } from "./reading.ts";
import { send } from "./room-frames.ts";
import { sendMessage } from "./send-message.ts";

export async function receiveFrame(room: CallRoom, connection: Connection<Member>, raw: unknown): Promise<void> {
  const frame = parseFrame(raw);
  if ("error" in frame) return send(room, connection, frame.error);
  switch (frame.type) {
    case "send":
      return sendMessage(room, connection, frame);
    case "edit":
    case "delete":
      return changeMessage(room, connection, frame);
    case "react":
    case "unreact":
      return changeReaction(room, connection, frame);
    case "pin":
    case "unpin":
      return setPin(room, connection, frame);
    case "typing":
      return announceTyping(room, connection);
    case "read":
      return markRead(room, connection, frame.seq);
    case "resume":
      return resume(room, connection, frame.afterEvent);
    case "call.join":
    case "call.leave":
    case "call.signal":
    case "call.state":
    case "call.speaking":
    case "call.moderate":
      return receiveCallFrame(room, connection, frame);
    default:
      return assertNever(frame);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled frame ${JSON.stringify(value)}`);
}
