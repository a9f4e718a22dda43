/**
 * The emoji picker's categories, and the loader of the emoji catalog: small enough
 * for the first page load, while the catalog and its data come in their own chunk
 * the first time an emoji is looked for.
 */
import type { EmojiCatalog } from "./emoji-catalog.ts";

/** The picker's categories, in Emojibase's order (the "component" group, bare skin tones, is left out). */
export const EMOJI_GROUPS = [
  { key: "smileys", label: "Smileys & emotion", icon: "😀" },
  { key: "people", label: "People & body", icon: "👋" },
  { key: "nature", label: "Animals & nature", icon: "🐻" },
  { key: "food", label: "Food & drink", icon: "🍔" },
  { key: "travel", label: "Travel & places", icon: "✈️" },
  { key: "activities", label: "Activities", icon: "⚽" },
  { key: "objects", label: "Objects", icon: "💡" },
  { key: "symbols", label: "Symbols", icon: "❤️" },
  { key: "flags", label: "Flags", icon: "🏁" },
] as const;
export type EmojiGroupKey = (typeof EMOJI_GROUPS)[number]["key"];

let catalog: Promise<EmojiCatalog> | undefined;
let loaded: EmojiCatalog | null = null;

/** The catalog if it has loaded already (a new composer or editor need not wait a render for it). */
export const loadedEmojiCatalog = (): EmojiCatalog | null => loaded;

/** The catalog, loaded once; a failed load is tried again on the next call. */
export function loadEmojiCatalog(): Promise<EmojiCatalog> {
  catalog ??= import("./emoji-catalog.ts").then(
    (module) => (loaded = module.createEmojiCatalog()),
    (caught: unknown) => {
      catalog = undefined;
      throw caught;
    },
  );
  return catalog;
}
