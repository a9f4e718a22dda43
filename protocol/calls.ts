/**
 * Calls: the frames a channel's room relays to set up a WebRTC call among the people
 * in it, and the shapes the HTTP side and the account socket show of calls in progress.
 * The room is the signaling server and the call's bookkeeper; media flows between the
 * browsers (a mesh), end-to-end encrypted with keys from the channel's MLS group
 * (docs/calls.md). The frames name participants, never connections or addresses, so an
 * SFU can later take the media role: the room would answer `call.join` with a token for
 * it instead of relaying offers, and the client's call model stays the same.
 */
import { z } from "zod";

/** A voice channel's call admits this many by default (CALL_MAX_PARTICIPANTS); a DM call its people. */
export const CALL_MAX_PARTICIPANTS_DEFAULT = 25;
/** Past this many cameras and screens, a receiver pauses the video tiles it does not show (docs/calls.md). */
export const CALL_VIDEO_TILES_MAX = 9;
/** An SDP offer or answer longer than this is refused (four transceivers take ~6 KB in Chromium). */
export const CALL_SDP_MAX_LENGTH = 24 * 1024;
/** An ICE candidate line longer than this is refused. */
export const CALL_CANDIDATE_MAX_LENGTH = 1024;
/** ICE candidates one participant may send per minute (a restart gathers a few dozen). */
export const CALL_CANDIDATES_PER_MINUTE = 240;
/** A DM call rings this long; unanswered, it ends as missed. */
export const CALL_RING_MS = 45_000;
/**
 * A participant whose socket closed stays in the call this long, shown as reconnecting,
 * so a network blip heals by the socket's resume (`call.join` with `rejoin`); after it,
 * the others are told they left.
 */
export const CALL_RECONNECT_GRACE_MS = 8_000;

const idSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

/** What a participant shows of itself; the room keeps it and tells everyone. */
export const callMediaStateSchema = z.strictObject({
  muted: z.boolean(),
  deafened: z.boolean(),
  camera: z.boolean(),
  screen: z.boolean(),
});
export type CallMediaState = z.infer<typeof callMediaStateSchema>;

const descriptionSchema = z.strictObject({
  type: z.enum(["offer", "answer"]),
  sdp: z.string().min(1).max(CALL_SDP_MAX_LENGTH),
});
const candidateSchema = z.strictObject({
  candidate: z.string().max(CALL_CANDIDATE_MAX_LENGTH),
  sdpMid: z.string().max(64).nullable(),
  sdpMLineIndex: z.number().int().min(0).max(64).nullable(),
  usernameFragment: z.string().max(256).nullable().optional(),
});
export type CallDescription = z.infer<typeof descriptionSchema>;
export type CallCandidate = z.infer<typeof candidateSchema>;

/** The call frames of the channel socket (part of `clientFrameSchema` in socket.ts). */
export const callClientFrameSchemas = [
  /**
   * Join the channel's call (in a DM or group DM, the first join starts it and rings the
   * others). `deviceId`: the joiner's end-to-end encryption device (its media key is
   * derived for it), null where the channel is not end-to-end encrypted. `rejoin`: the
   * participant id this device had before its socket dropped; within the grace period
   * it keeps its place and its peers keep their connections.
   */
  z.strictObject({
    type: z.literal("call.join"),
    clientId: idSchema,
    deviceId: z.string().min(1).max(64).nullable(),
    state: callMediaStateSchema,
    rejoin: idSchema.optional(),
  }),
  z.strictObject({ type: z.literal("call.leave") }),
  /**
   * For one other participant: an SDP offer or answer, or one ICE candidate. Only the
   * newer participant of a pair offers (also for an ICE restart), so offers never cross.
   */
  z
    .strictObject({
      type: z.literal("call.signal"),
      to: idSchema,
      description: descriptionSchema.optional(),
      candidate: candidateSchema.optional(),
    })
    .refine((frame) => (frame.description === undefined) !== (frame.candidate === undefined), {
      message: "a signal carries either a description or a candidate",
    }),
  /** What the participant now shows (the whole state, not a change). */
  z.strictObject({ type: z.literal("call.state"), state: callMediaStateSchema }),
  /** Whether the participant is speaking now (from its microphone's level); sent on change only. */
  z.strictObject({ type: z.literal("call.speaking"), speaking: z.boolean() }),
  /** A moderator (KICK_MEMBERS, or MANAGE_CHANNELS in the channel) mutes someone for everyone, or disconnects them. */
  z.strictObject({
    type: z.literal("call.moderate"),
    participantId: idSchema,
    action: z.enum(["mute", "disconnect"]),
  }),
] as const;

export interface CallParticipantView extends CallMediaState {
  participantId: string;
  userId: string;
  /** Its end-to-end encryption device, whose media key decrypts its frames (null: not encrypted). */
  deviceId: string | null;
  joinedAt: string;
  speaking: boolean;
  /** Muted for everyone by a moderator, or without SPEAK: its audio is not relayed and others keep it silent. */
  isServerMuted: boolean;
  /** May send camera or screen (VIDEO). */
  canVideo: boolean;
  /** Its socket dropped; it has CALL_RECONNECT_GRACE_MS to come back. */
  isReconnecting: boolean;
}

export interface CallView {
  callId: string;
  channelId: string;
  startedAt: string;
  startedBy: string;
  /** In a DM or group DM: the people being rung who have not answered or declined. */
  ringing: string[];
  participants: CallParticipantView[];
}

/** One TURN/STUN entry, as `RTCIceServer` takes it (`GET /api/calls/ice-servers`, fetched before joining). */
export interface IceServerView {
  urls: string[];
  username?: string;
  credential?: string;
}

/** `GET /api/calls/ice-servers`: the entries, and when their TURN credentials stop allocating relays (null: none given). */
export interface IceServersView {
  iceServers: IceServerView[];
  expiresAt: string | null;
}

/** Why the room took someone out of a call (told to them in `call.left`). */
export const CALL_LEFT_REASONS = [
  "left",
  /** A moderator disconnected them. */
  "disconnected",
  /** They lost the channel, or CONNECT (kick, ban, time-out, a permission). */
  "access_removed",
  /** The same device joined again from another socket. */
  "replaced",
  /** Their socket stayed away past the grace period. */
  "timed_out",
  /** A DM call nobody answered, or everyone else left. */
  "ended",
] as const;
export type CallLeftReason = (typeof CALL_LEFT_REASONS)[number];

/** How a DM call ended, for the caller's client to record in the conversation. */
export type CallOutcome = "answered" | "missed" | "declined";

/** The call frames the room sends (part of `ServerFrame` in socket.ts). */
export type CallServerFrame =
  /** To the joiner: its place, who is there (it offers to each of them), and how to reach them. */
  | {
      type: "call.joined";
      clientId: string;
      participantId: string;
      call: CallView;
      maxParticipants: number;
    }
  /** To every socket of the room, on each change but speaking, and once after `welcome`; null: no call. */
  | { type: "call.roster"; channelId: string; call: CallView | null }
  /** Another participant's offer, answer or candidate for this one. */
  | { type: "call.signal"; from: string; description: CallDescription }
  | { type: "call.signal"; from: string; candidate: CallCandidate }
  | { type: "call.speaking"; participantId: string; speaking: boolean }
  /** To the participant taken out; its peers learn it from `call.roster`. */
  | { type: "call.left"; callId: string; reason: CallLeftReason }
  /** To everyone in the room when a call ends: a DM call's caller records `outcome` in the conversation. */
  | { type: "call.ended"; callId: string; startedBy: string; outcome: CallOutcome; durationMs: number };

/** What the account socket and `GET /api/calls` show of a call, to everyone who may view its channel. */
export interface CallSummary {
  channelId: string;
  communityId: string | null;
  callId: string;
  startedAt: string;
  startedBy: string;
  ringing: string[];
  participants: { userId: string; muted: boolean; camera: boolean; screen: boolean }[];
}
