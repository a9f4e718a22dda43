/**
 * The hook a channel's activity flush calls (rooms/activity.ts): decide whom to tell
 * and hand the notices to Web Push delivery. Off the send path (the flush runs after
 * the window closes) and never throws: notifying is best effort.
 */
import { decideNotices } from "./decide-notices.ts";
import type { NotifyWindow } from "./who-to-notify.ts";

export async function notifyWindow(env: Env, window: NotifyWindow): Promise<void> {
  try {
    const notices = await decideNotices(env, window);
    if (notices.length === 0) return;
    // Delivery (rooms/push/, issue #23) takes them from here: queuePushes(env, notices).
  } catch (error) {
    console.warn(`notifications for ${window.channelId} not decided: ${(error as Error).message}`);
  }
}
