/**
 * Every emoji the picker and `:shortcode:` completion offer, built from Emojibase's
 * data (names, keywords, groups, skin tones) and the Slack and GitHub shortcodes,
 * which are the ones Discord users type (`:thumbsup:`, `:tada:`, `:joy:`). This
 * module is loaded on demand (see `loadEmojiCatalog`): its data stays out of the
 * first page load and is served from our own origin like the rest of the app.
 */
import compact from "emojibase-data/en/compact.json";
import githubShortcodes from "emojibase-data/en/shortcodes/github.json";
import slackShortcodes from "emojibase-data/en/shortcodes/iamcal.json";
import type { EmojiGroupKey } from "./emoji-groups.ts";
import { newestDrawnVersion, versionsByHexcode } from "./emoji-support.ts";

export interface EmojiEntry {
  /** The emoji as sent: fully qualified, without a variation selector it does not need. */
  emoji: string;
  /** Its name in words ("thumbs up"), for screen readers and the picker's preview. */
  label: string;
  /** Shortcodes without colons, Discord's first ("thumbsup", "+1"). */
  shortcodes: string[];
  /** Search words: the label's words, the shortcodes and Emojibase's tags. */
  keywords: string[];
  groupKey: EmojiGroupKey;
  /** The emoji in each skin tone, light to dark, for those that have them. */
  skins: string[] | null;
}

/** The fields of Emojibase's compact data that the catalog reads. */
interface CompactEmoji {
  hexcode: string;
  label: string;
  unicode: string;
  group?: number;
  order?: number;
  tags?: string[];
  skins?: CompactEmoji[];
}

/** Emojibase's group numbers to ours; 2 ("component") has no key and is skipped. */
const GROUP_BY_NUMBER: Record<number, EmojiGroupKey> = {
  0: "smileys",
  1: "people",
  3: "nature",
  4: "food",
  5: "travel",
  6: "activities",
  7: "objects",
  8: "symbols",
  9: "flags",
};

/** A variation selector after a character that is shown as emoji anyway adds nothing: 👍 not 👍︎. */
const NEEDLESS_SELECTOR = /(\p{Emoji_Presentation})\uFE0F/gu;
export const normalizeEmoji = (emoji: string) => emoji.replace(NEEDLESS_SELECTOR, "$1");

function shortcodesOf(hexcode: string): string[] {
  const names = new Set<string>();
  for (const source of [slackShortcodes, githubShortcodes] as Record<string, string | string[]>[]) {
    const found = source[hexcode];
    for (const name of typeof found === "string" ? [found] : (found ?? [])) names.add(name);
  }
  return [...names];
}

function buildEntries(): EmojiEntry[] {
  const entries: EmojiEntry[] = [];
  const versionOf = versionsByHexcode();
  const newest = newestDrawnVersion();
  const isDrawn = (item: CompactEmoji) => (versionOf.get(item.hexcode) ?? 0) <= newest;
  // Emojibase's order is Unicode's: the most used faces and hands first.
  const ordered = [...(compact as CompactEmoji[])].sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity));
  for (const item of ordered) {
    const groupKey = item.group === undefined ? undefined : GROUP_BY_NUMBER[item.group];
    if (!groupKey || !isDrawn(item)) continue; // skin tone swatches, letters, emoji this device lacks
    const shortcodes = shortcodesOf(item.hexcode);
    const words = item.label.toLowerCase().split(/[^\p{L}\p{N}+]+/u);
    entries.push({
      emoji: normalizeEmoji(item.unicode),
      label: item.label,
      shortcodes,
      keywords: [...new Set([...shortcodes, ...words, ...(item.tags ?? [])].filter(Boolean))],
      groupKey,
      skins: item.skins?.every(isDrawn) ? item.skins.map((skin) => normalizeEmoji(skin.unicode)) : null,
    });
  }
  return entries;
}

export interface EmojiCatalog {
  entries: readonly EmojiEntry[];
  /** The entry for an emoji as sent (in any skin tone), if the catalog knows it. */
  find(emoji: string): EmojiEntry | undefined;
  /** The entry a shortcode names exactly ("tada"), if any. */
  byShortcode(shortcode: string): EmojiEntry | undefined;
  /** Entries matching every word of `query`: shortcode starts first, then name and keyword starts. */
  search(query: string, limit?: number): EmojiEntry[];
}

export function createEmojiCatalog(): EmojiCatalog {
  const entries = buildEntries();
  const byEmoji = new Map<string, EmojiEntry>();
  const byShortcode = new Map<string, EmojiEntry>();
  for (const entry of entries) {
    for (const shortcode of entry.shortcodes) if (!byShortcode.has(shortcode)) byShortcode.set(shortcode, entry);
    byEmoji.set(entry.emoji, entry);
    for (const skin of entry.skins ?? []) byEmoji.set(skin, entry);
  }
  return {
    entries,
    find: (emoji) => byEmoji.get(normalizeEmoji(emoji)),
    byShortcode: (shortcode) => byShortcode.get(shortcode.toLowerCase()),
    search(query, limit = 80) {
      const words = query.toLowerCase().replace(/:/g, " ").trim().split(/\s+/).filter(Boolean);
      if (words.length === 0) return [];
      const scored: { entry: EmojiEntry; score: number }[] = [];
      for (const entry of entries) {
        let score = 0;
        for (const word of words) {
          const wordScore = matchScore(entry, word);
          if (wordScore === 0) {
            score = 0;
            break;
          }
          score += wordScore;
        }
        if (score > 0) scored.push({ entry, score });
      }
      // A stable sort keeps Emojibase's order (common emoji first) among equal scores.
      return scored
        .sort((a, b) => b.score - a.score)
        .slice(0, limit)
        .map(({ entry }) => entry);
    },
  };
}

/** 4: a shortcode is the word; 3: a shortcode starts with it; 2: a keyword does; 1: a keyword holds it. */
function matchScore(entry: EmojiEntry, word: string): number {
  if (entry.shortcodes.includes(word)) return 4;
  if (entry.shortcodes.some((code) => code.startsWith(word))) return 3;
  if (entry.keywords.some((keyword) => keyword.startsWith(word))) return 2;
  return word.length >= 3 && entry.keywords.some((keyword) => keyword.includes(word)) ? 1 : 0;
}
