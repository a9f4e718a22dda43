/**
 * The one way into Web Push delivery for the notification decision (rooms/notify/):
 * hand over the notices and return at once. Each person's PushQueue stores them and
 * sends from its alarm, so sending a message never waits on a push service. A notice
 * whose person has no live subscription goes nowhere: it is not queued.
 */
import type { DecidedNotice, PushNotice } from "./push-notice.ts";
import type { PushEnv } from "./push-outbound.ts";

export function queuePushes(env: Pick<PushEnv, "PUSH_QUEUE" | "VAPID_PRIVATE_KEY">, decided: DecidedNotice[]): void {
  if (!env.VAPID_PRIVATE_KEY || decided.length === 0) return; // Web Push is off
  const byUser = new Map<string, { notices: PushNotice[]; read: Pick<DecidedNotice, "targets" | "targetsReadAt"> }>();
  for (const { targets, targetsReadAt, ...notice } of decided) {
    if (targets.length === 0) continue;
    const theirs = byUser.get(notice.userId) ?? { notices: [], read: { targets, targetsReadAt } };
    theirs.notices.push(notice);
    byUser.set(notice.userId, theirs);
  }
  for (const [userId, { notices, read }] of byUser) {
    // Not awaited: the caller (a channel room) lives on while the call completes.
    env.PUSH_QUEUE.getByName(userId)
      .enqueue(notices, read)
      .catch((error: unknown) => console.warn(`push: could not queue for a person: ${(error as Error).message}`));
  }
}
