/**
 * The call as the room stores it (one storage value, so it survives hibernation and a
 * restart), and the two views of it: the room's sockets see a `CallView`, the account
 * sockets and `GET /api/calls` a `CallSummary`.
 */
import type { CallMediaState, CallOutcome, CallSummary, CallView } from "../../protocol/index.ts";

export interface StoredParticipant {
  participantId: string;
  userId: string;
  /** A device (a session) is in a call at most once. */
  sessionId: string;
  /** Its socket now; kept while it reconnects, so a late close of an older socket is told apart. */
  connectionId: string;
  deviceId: string | null;
  joinedAt: number;
  state: CallMediaState;
  /** A moderator muted them for everyone (lasts until they leave). */
  isModeratorMuted: boolean;
  /** From their permissions, kept current by the room's access changes. */
  canSpeak: boolean;
  canVideo: boolean;
  /** Their socket closed: they are removed at this time unless they rejoin first. */
  reconnectUntil: number | null;
}

export interface StoredCall {
  callId: string;
  channelId: string;
  communityId: string | null;
  /** A DM or group DM: it rings, and it ends when its people are gone. */
  isDirect: boolean;
  /** Whose account sockets hear of a DM call (its people); empty for a voice channel. */
  directUserIds: string[];
  startedAt: number;
  startedBy: string;
  rung: string[];
  ringing: string[];
  declined: string[];
  /** The ring stops at this time (null: it has stopped). */
  ringUntil: number | null;
  /** Someone besides the caller joined. */
  isAnswered: boolean;
  participants: StoredParticipant[];
}

export const isServerMuted = (participant: StoredParticipant) => participant.isModeratorMuted || !participant.canSpeak;

export function callView(call: StoredCall, speaking: ReadonlySet<string>): CallView {
  return {
    callId: call.callId,
    channelId: call.channelId,
    startedAt: new Date(call.startedAt).toISOString(),
    startedBy: call.startedBy,
    ringing: [...call.ringing],
    participants: call.participants.map((participant) => ({
      participantId: participant.participantId,
      userId: participant.userId,
      deviceId: participant.deviceId,
      joinedAt: new Date(participant.joinedAt).toISOString(),
      ...participant.state,
      speaking: speaking.has(participant.participantId),
      isServerMuted: isServerMuted(participant),
      canVideo: participant.canVideo,
      isReconnecting: participant.reconnectUntil !== null,
    })),
  };
}

export function callSummary(call: StoredCall): CallSummary {
  return {
    channelId: call.channelId,
    communityId: call.communityId,
    callId: call.callId,
    startedAt: new Date(call.startedAt).toISOString(),
    startedBy: call.startedBy,
    ringing: [...call.ringing],
    participants: call.participants.map((participant) => ({
      userId: participant.userId,
      muted: participant.state.muted || isServerMuted(participant),
      camera: participant.state.camera,
      screen: participant.state.screen,
    })),
  };
}

/** `answered` if anyone besides the caller joined, `declined` if everyone rung declined, else `missed`. */
export function callOutcome(call: StoredCall): CallOutcome {
  if (call.isAnswered) return "answered";
  const hasAllDeclined = call.rung.length > 0 && call.rung.every((userId) => call.declined.includes(userId));
  return hasAllDeclined ? "declined" : "missed";
}

/** A participant id: unguessable, and within the protocol's id shape. */
export const newParticipantId = () => crypto.randomUUID().replaceAll("-", "");
