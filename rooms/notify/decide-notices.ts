/**
 * Whom to tell of a channel's new messages, from what the server already knows:
 * one database statement for the candidates with their settings, roles, blocks and push
 * subscriptions (and in a community channel one more, in parallel, for the channel with
 * its roles and overrides), then one presence call per person the stored facts did not
 * rule out. Never from the messages' content: mentions are the ones the senders declared.
 */
import { query, type ChannelContextRecord } from "../../db/index.ts";
import { has, notificationPreferencesOf, Permission } from "../../protocol/index.ts";
import { permissionsIn } from "../channel-access.ts";
import type { DecidedNotice } from "../push/push-notice.ts";
import type { Attention } from "./attention.ts";
import { noticesFrom, verdictsFrom, type NotifyCandidate, type NotifyWindow } from "./who-to-notify.ts";

/**
 * At most this many people per window: an @everyone in a community larger than this
 * reaches the first ones only (the activity frame still reaches every open page).
 */
export const NOTIFY_CANDIDATES_MAX = 5_000;

/**
 * The notices for a window, each with where its person's pushes go (read in the same
 * statement). `isPushOnly` leaves out, in SQL, people with no live push subscription:
 * delivery has nowhere to send theirs, and asking their presence would be waste.
 */
export async function decideNotices(
  env: Env,
  window: NotifyWindow,
  now = Date.now(),
  options: { isPushOnly?: boolean } = {},
): Promise<DecidedNotice[]> {
  // A DM's place decides nothing (no roles, no overrides; a deleted DM has no members left):
  // one statement, not two, on the database every send shares.
  const isDirect = window.communityId === null;
  const [place, records] = await Promise.all([
    isDirect ? null : query(env.DATABASE, "notifyPlace", { channelId: window.channelId }),
    query(env.DATABASE, "notifyCandidates", {
      channelId: window.channelId,
      communityId: window.communityId,
      senderIds: window.senderIds,
      mentionedUserIds: window.mentions.userIds,
      mentionedRoleIds: window.mentions.roleIds,
      mentionsAll: window.mentions.everyone || window.mentions.here,
      limit: NOTIFY_CANDIDATES_MAX,
      isPushOnly: options.isPushOnly ?? false,
    }),
  ]);
  // When the subscriptions were read (the statement's own time, not the queueing before it).
  const targetsReadAt = Date.now();
  if (!isDirect && (!place || place.channel.communityId !== window.communityId)) return [];
  const everyone = place?.roles.find((role) => role.isEveryone);
  const candidates: NotifyCandidate[] = records.map((record) => {
    let mayView = true;
    if (place?.community && everyone) {
      const held = new Set(record.heldRoleIds);
      const context: ChannelContextRecord = {
        channel: place.channel,
        scope: "community",
        member: {
          community: place.community,
          everyone,
          roles: place.roles.filter((role) => held.has(role.id)),
          timedOutUntil: record.timedOutUntil,
        },
        overrides: place.overrides,
      };
      mayView = has(permissionsIn(context, record.userId, now), Permission.VIEW_CHANNEL);
    }
    return {
      userId: record.userId,
      preferences: notificationPreferencesOf(record.preferences),
      channel: { level: record.channelLevel, mutedUntil: record.channelMutedUntil },
      community: place?.community ? { level: record.communityLevel, mutedUntil: record.communityMutedUntil } : null,
      heldRoleIds: record.heldRoleIds,
      mayView,
      blockedSenderIds: record.blockedSenderIds,
    };
  });
  const verdicts = verdictsFrom(window, candidates, now);
  const notices = noticesFrom(
    window,
    verdicts,
    await attentionOf(
      env,
      verdicts.map((verdict) => verdict.userId),
    ),
  );
  const targets = new Map(records.map((record) => [record.userId, record.pushTargets]));
  return notices.map((notice) => ({ ...notice, targets: targets.get(notice.userId) ?? [], targetsReadAt }));
}

/** Each person's presence; one who cannot be asked counts as away (a push too many beats a lost one). */
async function attentionOf(env: Env, userIds: string[]): Promise<Map<string, Attention>> {
  const answers = await Promise.allSettled(userIds.map((userId) => env.USER_SOCKETS.getByName(userId).attention()));
  const attention = new Map<string, Attention>();
  answers.forEach((answer, index) => {
    if (answer.status === "fulfilled") attention.set(userIds[index]!, answer.value);
  });
  return attention;
}
