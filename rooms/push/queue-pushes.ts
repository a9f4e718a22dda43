/**
 * The one way into Web Push delivery for the notification decision (rooms/notify/):
 * hand over the notices and return at once. Each person's PushQueue stores them and
 * sends from its alarm, so sending a message never waits on a push service.
 */
import type { PushNotice } from "./push-notice.ts";
import type { PushEnv } from "./push-outbound.ts";

export function queuePushes(env: Pick<PushEnv, "PUSH_QUEUE" | "VAPID_PRIVATE_KEY">, notices: PushNotice[]): void {
  if (!env.VAPID_PRIVATE_KEY || notices.length === 0) return; // Web Push is off
  const byUser = new Map<string, PushNotice[]>();
  for (const notice of notices) byUser.set(notice.userId, [...(byUser.get(notice.userId) ?? []), notice]);
  for (const [userId, theirs] of byUser) {
    // Not awaited: the caller (a channel room) lives on while the call completes.
    env.PUSH_QUEUE.getByName(userId)
      .enqueue(theirs)
      .catch((error: unknown) => console.warn(`push: could not queue for a person: ${(error as Error).message}`));
  }
}
