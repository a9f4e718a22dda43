/**
 * `call.moderate`: someone who may kick members or manage the channel mutes a
 * participant for everyone, or disconnects them; never someone whose highest role is
 * equal to or above their own (the community's rule for every moderation).
 */
import type { Connection } from "partyserver";
import { canActOn, has, Permission, type ClientFrame } from "../../protocol/index.ts";
import { toMemberContext } from "../channel-access.ts";
import type { Member } from "../identity.ts";
import { send } from "../room-frames.ts";
import { callChanged, removeParticipant } from "./call-changes.ts";
import type { CallRoom } from "./call-room.ts";

type ModerateFrame = Extract<ClientFrame, { type: "call.moderate" }>;

export async function moderateCall(
  room: CallRoom,
  connection: Connection<Member>,
  frame: ModerateFrame,
): Promise<void> {
  const moderatorId = connection.state!.userId;
  const refuse = (code: "missing_permission" | "not_in_call", message: string) =>
    send(room, connection, { type: "error", code, message });
  const permissions = await room.access.permissions(moderatorId);
  if (!has(permissions, Permission.KICK_MEMBERS) && !has(permissions, Permission.MANAGE_CHANNELS)) {
    return refuse("missing_permission", "you need KICK_MEMBERS or MANAGE_CHANNELS to moderate this call");
  }
  const target = room.calls.participant(frame.participantId);
  if (!target) return refuse("not_in_call", `no participant ${frame.participantId} in this call`);
  if (target.userId !== moderatorId) {
    const [mine, theirs] = await Promise.all([room.access.context(moderatorId), room.access.context(target.userId)]);
    const isAbove =
      mine?.scope === "community" &&
      theirs?.scope === "community" &&
      canActOn(toMemberContext(mine.member, moderatorId), toMemberContext(theirs.member, target.userId));
    if (!isAbove) return refuse("missing_permission", "you may only moderate people whose roles are below yours");
  }
  // Read again after the awaits: the call may have changed meanwhile.
  const call = room.calls.call;
  const current = room.calls.participant(frame.participantId);
  if (!call || !current) return refuse("not_in_call", `no participant ${frame.participantId} in this call`);
  if (frame.action === "disconnect") return removeParticipant(room, call, current, "disconnected");
  room.calls.speaking.delete(current.participantId);
  const muted = { ...current, isModeratorMuted: true };
  callChanged(room, { ...call, participants: call.participants.map((other) => (other === current ? muted : other)) });
}
