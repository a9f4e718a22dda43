/**
 * The emoji this person used last on this device, newest first: the composer's
 * picker and the reaction picker both show them first and both add to them. Kept
 * in localStorage (emoji only, nothing about where they were used).
 */
import { signal } from "@preact/signals";

const RECENT_EMOJI_KEY = "chatalot:recent-emoji";
/** Two rows of the picker. */
export const RECENT_EMOJI_MAX = 18;

function read(): string[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(RECENT_EMOJI_KEY) ?? "[]");
    return Array.isArray(stored) ? stored.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return []; // unreadable (or storage blocked): start again
  }
}

/** Newest first. */
export const recentEmoji = signal<readonly string[]>(read());

/** Puts the emoji first in the list (moving it if it was there), and keeps the list for next time. */
export function noteEmojiUsed(emoji: string): void {
  const next = [emoji, ...recentEmoji.peek().filter((other) => other !== emoji)].slice(0, RECENT_EMOJI_MAX);
  recentEmoji.value = next;
  try {
    localStorage.setItem(RECENT_EMOJI_KEY, JSON.stringify(next));
  } catch {
    // Storage full or blocked: the list still holds for this visit.
  }
}
