/**
 * When a channel's group must move to a new epoch even though nobody joined or
 * left: at least every 7 days or every 1,000 messages, so a key that leaked (a stolen
 * device, a backup) stops opening new messages soon. Any member that is about to send
 * checks this first and, when due, commits an empty commit (a fresh path) before sealing.
 */
export const EPOCH_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
export const EPOCH_MAX_MESSAGES = 1000;

export function isRotationDue(epoch: { startedAt: Date; messages: number }, now = Date.now()): boolean {
  return now - epoch.startedAt.getTime() >= EPOCH_MAX_AGE_MS || epoch.messages >= EPOCH_MAX_MESSAGES;
}
