/**
 * `call.join`: the first join starts the channel's call (in a DM, ringing the others),
 * a later one adds a participant, and `rejoin` moves a participant to the device's new
 * socket, keeping its place and its peers' connections.
 */
import type { Connection } from "partyserver";
import { has, Permission, type ClientFrame } from "../../protocol/index.ts";
import type { Member } from "../identity.ts";
import { send } from "../room-frames.ts";
import { callChanged } from "./call-changes.ts";
import { callView, newParticipantId, type StoredCall, type StoredParticipant } from "./call-record.ts";
import type { CallRoom } from "./call-room.ts";

type JoinFrame = Extract<ClientFrame, { type: "call.join" }>;

export async function joinCall(room: CallRoom, connection: Connection<Member>, frame: JoinFrame): Promise<void> {
  const member = connection.state!;
  const refuse = (code: "missing_permission" | "call_unavailable" | "already_in_call", message: string) =>
    send(room, connection, { type: "error", code, message, clientId: frame.clientId });
  const context = await room.access.context(member.userId);
  const permissions = await room.access.permissions(member.userId);
  if (!context || permissions === 0) return room.closeForAccess(connection);
  const isDirect = context.scope === "direct";
  if (!isDirect && context.channel.kind !== "voice") {
    return refuse("call_unavailable", "calls are held in voice channels and direct conversations, not text channels");
  }
  if (!has(permissions, Permission.CONNECT)) return refuse("missing_permission", "you need CONNECT to join this call");
  const canVideo = has(permissions, Permission.VIDEO);
  if (!canVideo && (frame.state.camera || frame.state.screen)) {
    return refuse("missing_permission", "you need VIDEO to turn on a camera or share a screen");
  }
  // From here nothing awaits: two joins racing cannot both take the last place.
  let call = room.calls.call;
  const mine = call?.participants.find((participant) => participant.sessionId === member.sessionId);
  if (call && mine) {
    if (frame.rejoin === mine.participantId) return rejoin(room, connection, frame, call, mine, permissions);
    // Its socket is gone and the device lost its id (a reload): it starts over. Open: one join per device.
    if (mine.reconnectUntil === null) {
      return refuse(
        "already_in_call",
        "this device is in the call from another socket: leave there, or join with rejoin",
      );
    }
    room.calls.forget(mine.participantId);
    call = { ...call, participants: call.participants.filter((participant) => participant !== mine) };
  }
  const { maxParticipants } = room.callSettings;
  if (call && call.participants.length >= maxParticipants) {
    return refuse("call_unavailable", `the call is full: it holds ${maxParticipants} people at most`);
  }
  const now = Date.now();
  call ??= startCall(room, context, member.userId, now);
  const participant: StoredParticipant = {
    participantId: newParticipantId(),
    userId: member.userId,
    sessionId: member.sessionId,
    connectionId: connection.id,
    deviceId: frame.deviceId,
    joinedAt: now,
    state: frame.state,
    isModeratorMuted: false,
    canSpeak: has(permissions, Permission.SPEAK),
    canVideo,
    reconnectUntil: null,
  };
  const joined: StoredCall = {
    ...call,
    ringing: call.ringing.filter((userId) => userId !== member.userId),
    isAnswered: call.isAnswered || member.userId !== call.startedBy,
    participants: [...call.participants, participant],
  };
  welcome(room, connection, frame.clientId, joined, participant);
  callChanged(room, joined);
}

function startCall(
  room: CallRoom,
  context: NonNullable<Awaited<ReturnType<CallRoom["access"]["context"]>>>,
  userId: string,
  now: number,
): StoredCall {
  const directUserIds = context.scope === "direct" ? context.participants.map((person) => person.userId) : [];
  const rung = directUserIds.filter((other) => other !== userId);
  return {
    callId: newParticipantId(),
    channelId: room.name,
    communityId: context.channel.communityId,
    isDirect: context.scope === "direct",
    directUserIds,
    startedAt: now,
    startedBy: userId,
    rung,
    ringing: rung,
    declined: [],
    ringUntil: rung.length > 0 ? now + room.callSettings.ringMs : null,
    isAnswered: false,
    participants: [],
  };
}

function rejoin(
  room: CallRoom,
  connection: Connection<Member>,
  frame: JoinFrame,
  call: StoredCall,
  mine: StoredParticipant,
  permissions: number,
): void {
  const previous = mine.connectionId !== connection.id ? room.connection(mine.connectionId) : undefined;
  if (previous && mine.reconnectUntil === null) {
    send(room, previous, { type: "call.left", callId: call.callId, reason: "replaced" });
  }
  const moved: StoredParticipant = {
    ...mine,
    connectionId: connection.id,
    deviceId: frame.deviceId,
    state: frame.state,
    canSpeak: has(permissions, Permission.SPEAK),
    canVideo: has(permissions, Permission.VIDEO),
    reconnectUntil: null,
  };
  const rejoined = {
    ...call,
    participants: call.participants.map((participant) => (participant === mine ? moved : participant)),
  };
  welcome(room, connection, frame.clientId, rejoined, moved);
  callChanged(room, rejoined);
}

function welcome(
  room: CallRoom,
  connection: Connection<Member>,
  clientId: string,
  call: StoredCall,
  participant: StoredParticipant,
): void {
  send(room, connection, {
    type: "call.joined",
    clientId,
    participantId: participant.participantId,
    call: callView(call, room.calls.speaking),
    maxParticipants: room.callSettings.maxParticipants,
  });
}
