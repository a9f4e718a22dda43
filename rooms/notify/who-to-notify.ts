/**
 * The decision itself, without I/O: from a channel's window of new messages and the
 * facts about each candidate, who gets a push and why. Two steps, so that presence
 * (a call per person) is asked only of those the stored facts did not rule out:
 * `verdictsFrom` reads levels, mutes, access and blocks; `noticesFrom` then applies
 * presence (active elsewhere, @here, Do Not Disturb).
 */
import {
  DEFAULT_COMMUNITY_LEVEL,
  DEFAULT_DIRECT_LEVEL,
  type DndAllows,
  type EventsServerFrame,
  type NotificationLevel,
  type NotificationPreferences,
} from "../../protocol/index.ts";
import type { PushNotice } from "../push/push-notice.ts";
import type { Attention } from "./attention.ts";

/** The activity frame a channel flushes: its last seq, who sent, who was mentioned. */
export type NotifyWindow = Pick<
  Extract<EventsServerFrame, { type: "activity" }>,
  "channelId" | "communityId" | "lastSeq" | "senderIds" | "mentions"
>;

export interface NotifyCandidate {
  userId: string;
  preferences: NotificationPreferences;
  channel: { level: NotificationLevel | null; mutedUntil: string | null };
  /** Null for a DM or group DM. */
  community: { level: NotificationLevel | null; mutedUntil: string | null } | null;
  heldRoleIds: string[];
  /** May view the channel now (permissions computed from the loaded facts). */
  mayView: boolean;
  blockedSenderIds: string[];
}

export interface Verdict {
  userId: string;
  reason: PushNotice["reason"];
  /** Only @here names them: they hear of it only if online (or, at level all, as a plain message). */
  isHereOnly: boolean;
  level: NotificationLevel;
  dndAllows: DndAllows;
}

/** A mute as stored facts give it ("forever", an ISO time, or null) is live at `now`. */
const isMuted = (mutedUntil: string | null, now: number) =>
  mutedUntil === "forever" || (mutedUntil !== null && Date.parse(mutedUntil) > now);

export function verdictsFrom(window: NotifyWindow, candidates: NotifyCandidate[], now: number): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const candidate of candidates) {
    if (window.senderIds.includes(candidate.userId) || !candidate.mayView) continue;
    // The window coalesces senders: it is skipped only when every sender is blocked.
    if (window.senderIds.every((senderId) => candidate.blockedSenderIds.includes(senderId))) continue;
    if (isMuted(candidate.channel.mutedUntil, now)) continue;
    if (candidate.community && isMuted(candidate.community.mutedUntil, now)) continue;
    const verdict = candidate.community ? inCommunity(window, candidate) : inDirect(candidate);
    if (verdict) verdicts.push(verdict);
  }
  return verdicts;
}

function inDirect(candidate: NotifyCandidate): Verdict | null {
  const level = candidate.channel.level ?? DEFAULT_DIRECT_LEVEL;
  if (level === "nothing" || !candidate.preferences.directMessages) return null;
  const { userId, preferences } = candidate;
  return { userId, reason: "dm", isHereOnly: false, level, dndAllows: preferences.dndAllows };
}

function inCommunity(window: NotifyWindow, candidate: NotifyCandidate): Verdict | null {
  const level = candidate.channel.level ?? candidate.community?.level ?? DEFAULT_COMMUNITY_LEVEL;
  if (level === "nothing") return null;
  const { mentions } = window;
  const isNamed =
    mentions.everyone ||
    mentions.userIds.includes(candidate.userId) ||
    mentions.roleIds.some((roleId) => candidate.heldRoleIds.includes(roleId));
  const isHereOnly = !isNamed && mentions.here;
  if (level === "mentions" && !isNamed && !isHereOnly) return null;
  const reason = isNamed || isHereOnly ? "mention" : "message";
  return { userId: candidate.userId, reason, isHereOnly, level, dndAllows: candidate.preferences.dndAllows };
}

/** Applies presence: `attention` has an entry per verdict's person (missing: offline, online status). */
export function noticesFrom(
  window: NotifyWindow,
  verdicts: Verdict[],
  attention: Map<string, Attention>,
): PushNotice[] {
  const notices: PushNotice[] = [];
  for (const verdict of verdicts) {
    const presence = attention.get(verdict.userId) ?? { isOnline: false, status: "online", isActive: false };
    // At a screen right now: the page tells them itself.
    if (presence.isActive) continue;
    let reason = verdict.reason;
    if (verdict.isHereOnly && (!presence.isOnline || presence.status === "invisible")) {
      if (verdict.level !== "all") continue;
      reason = "message";
    }
    if (presence.status === "dnd" && !allowedInDnd(reason, verdict.dndAllows)) continue;
    notices.push({
      userId: verdict.userId,
      channelId: window.channelId,
      communityId: window.communityId,
      seq: window.lastSeq,
      reason,
    });
  }
  return notices;
}

function allowedInDnd(reason: PushNotice["reason"], allows: DndAllows): boolean {
  if (allows === "dms_and_mentions") return reason === "dm" || reason === "mention";
  if (allows === "dms") return reason === "dm";
  return false;
}
