/**
 * The skin tone this person picks for emoji that have one (Discord's hand button),
 * kept on this device. 0 is the default yellow; 1 to 5 are light to dark.
 */
import { signal } from "@preact/signals";
import type { EmojiEntry } from "./emoji-catalog.ts";

const SKIN_TONE_KEY = "chatalot:emoji-skin-tone";

export const SKIN_TONES = [
  { label: "Default skin tone", sample: "✋" },
  { label: "Light skin tone", sample: "✋🏻" },
  { label: "Medium-light skin tone", sample: "✋🏼" },
  { label: "Medium skin tone", sample: "✋🏽" },
  { label: "Medium-dark skin tone", sample: "✋🏾" },
  { label: "Dark skin tone", sample: "✋🏿" },
] as const;

function read(): number {
  try {
    const stored = Number(localStorage.getItem(SKIN_TONE_KEY) ?? 0);
    return Number.isInteger(stored) && stored >= 0 && stored < SKIN_TONES.length ? stored : 0;
  } catch {
    return 0;
  }
}

export const skinTone = signal(read());

export function chooseSkinTone(tone: number): void {
  skinTone.value = tone;
  try {
    localStorage.setItem(SKIN_TONE_KEY, String(tone));
  } catch {
    // Storage blocked: the choice holds for this visit.
  }
}

/** The entry's emoji in the chosen tone, where it has tones. */
export const inSkinTone = (entry: EmojiEntry, tone: number): string =>
  (tone > 0 && entry.skins?.[tone - 1]) || entry.emoji;
