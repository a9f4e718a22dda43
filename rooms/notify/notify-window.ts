/**
 * The hook a channel's activity flush calls (rooms/activity.ts): decide whom to tell
 * and hand the notices to Web Push delivery. Off the send path (the flush runs after
 * the window closes) and never throws: notifying is best effort.
 */
import { queuePushes } from "../push/queue-pushes.ts";
import { decideNotices } from "./decide-notices.ts";
import { throughDecisionGate } from "./decision-gate.ts";
import type { NotifyWindow } from "./who-to-notify.ts";

/**
 * Each decision starts at a random point within this long. Channels that turned busy
 * together close their windows together, every second: twenty decisions and their first
 * pushes at once held up the sends queued behind them (bench/push.ts, the p95). A push
 * a quarter of a second later is no loss.
 */
const NOTIFY_SPREAD_MS = 250;

export async function notifyWindow(env: Env, window: NotifyWindow): Promise<void> {
  // Web Push is off (no VAPID key): no one to push to, so the database is spared.
  if (!(env as { VAPID_PRIVATE_KEY?: string | null }).VAPID_PRIVATE_KEY) return;
  await new Promise((resolve) => setTimeout(resolve, Math.random() * NOTIFY_SPREAD_MS));
  try {
    const notices = await throughDecisionGate(() => decideNotices(env, window, Date.now(), { isPushOnly: true }));
    queuePushes(env, notices);
  } catch (error) {
    console.warn(`notifications for ${window.channelId} not decided: ${(error as Error).message}`);
  }
}
