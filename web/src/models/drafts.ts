/**
 * Unsent composer text, kept per person and channel across reloads, as Discord and
 * Element keep it; cleared when the message is sent. Drafts are plaintext in this
 * browser's localStorage (Element keeps its drafts the same way): what someone
 * types is on this device, readable by whoever can open this browser profile,
 * until it is sent or erased. Files waiting in the tray are not drafts: they are
 * kept by their uploads (models/files/attachment-drafts.ts) for this visit only.
 */
const DRAFT_KEY_PREFIX = "chatalot:draft:";

const keyOf = (userId: string, channelId: string) => `${DRAFT_KEY_PREFIX}${userId}:${channelId}`;

/** The draft kept for this person in this channel, or "" for none. */
export function savedDraft(userId: string, channelId: string): string {
  try {
    return localStorage.getItem(keyOf(userId, channelId)) ?? "";
  } catch {
    return ""; // storage blocked: no drafts, nothing lost but the convenience
  }
}

/** Keeps the draft (an empty or blank one is removed). */
export function saveDraft(userId: string, channelId: string, text: string): void {
  try {
    if (text.trim()) localStorage.setItem(keyOf(userId, channelId), text);
    else localStorage.removeItem(keyOf(userId, channelId));
  } catch {
    // Storage full or blocked: the draft still lives in the open composer.
  }
}
