/**
 * Whom to tell of a channel's new messages, from what the server already knows:
 * two database statements (the channel with its roles and overrides; the candidates
 * with their settings, roles and blocks), then one presence call per person the
 * stored facts did not rule out. Never from the messages' content: mentions are the
 * ones the senders declared.
 */
import { query, type ChannelContextRecord } from "../../db/index.ts";
import { has, notificationPreferencesOf, Permission } from "../../protocol/index.ts";
import { permissionsIn } from "../channel-access.ts";
import type { PushNotice } from "../push/push-notice.ts";
import type { Attention } from "./attention.ts";
import { noticesFrom, verdictsFrom, type NotifyCandidate, type NotifyWindow } from "./who-to-notify.ts";

/**
 * At most this many people per window: an @everyone in a community larger than this
 * reaches the first ones only (the activity frame still reaches every open page).
 */
export const NOTIFY_CANDIDATES_MAX = 5_000;

export async function decideNotices(env: Env, window: NotifyWindow, now = Date.now()): Promise<PushNotice[]> {
  const [place, records] = await Promise.all([
    query(env.DATABASE, "notifyPlace", { channelId: window.channelId }),
    query(env.DATABASE, "notifyCandidates", {
      channelId: window.channelId,
      communityId: window.communityId,
      senderIds: window.senderIds,
      mentionedUserIds: window.mentions.userIds,
      mentionedRoleIds: window.mentions.roleIds,
      mentionsAll: window.mentions.everyone || window.mentions.here,
      limit: NOTIFY_CANDIDATES_MAX,
    }),
  ]);
  if (!place || place.channel.communityId !== window.communityId) return [];
  const everyone = place.roles.find((role) => role.isEveryone);
  const candidates: NotifyCandidate[] = records.map((record) => {
    let mayView = true;
    if (place.community && everyone) {
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
      community: place.community ? { level: record.communityLevel, mutedUntil: record.communityMutedUntil } : null,
      heldRoleIds: record.heldRoleIds,
      mayView,
      blockedSenderIds: record.blockedSenderIds,
    };
  });
  const verdicts = verdictsFrom(window, candidates, now);
  return noticesFrom(
    window,
    verdicts,
    await attentionOf(
      env,
      verdicts.map((verdict) => verdict.userId),
    ),
  );
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
