/**
 * The composer's completion as one types: finds the trigger at the caret, gathers
 * what it could mean (emoji load on the first `:`, channels on the first `#`),
 * keeps which row is chosen, and handles the keys while the list is open:
 * ↑ and ↓ choose, Enter or Tab inserts, Esc closes the list and keeps the text.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { ChannelView } from "../../../../protocol/index.ts";
import type { Person } from "../../models/mentions.ts";
import { noteEmojiUsed } from "../../models/recent-emoji.ts";
import type { EmojiCatalog } from "../emoji/emoji-catalog.ts";
import { loadedEmojiCatalog, loadEmojiCatalog } from "../emoji/emoji-groups.ts";
import { inSkinTone, skinTone } from "../emoji/skin-tone.ts";
import { applyCompletion, findTrigger, typedShortcode, type CompletionTrigger } from "./completion-trigger.ts";
import { channelSuggestions, emojiSuggestions, mentionSuggestions, type Suggestion } from "./suggestions.ts";

interface CompletionOptions {
  field: { current: HTMLTextAreaElement | null };
  text: string;
  setText(text: string): void;
  /** Where the caret goes once the new text shows (use-caret.ts). */
  placeCaret(position: number): void;
  people(): readonly Person[];
  canMentionEveryone: boolean;
  /** The channels `#` offers (the community's), or null where there are none (a conversation). */
  loadChannels: (() => Promise<readonly ChannelView[]>) | null;
}

export interface Completion {
  trigger: CompletionTrigger | null;
  suggestions: Suggestion[];
  activeIndex: number;
  /** Call on every caret move (input, click, keys): the trigger is where the caret is. */
  caretMoved(): void;
  /**
   * Call on input: a whole `:shortcode:` just typed becomes its emoji, as in Discord
   * (true when it did; the text was set). Only once the emoji are loaded, which the
   * first two letters after the colon did.
   */
  replaceTypedShortcode(): boolean;
  /** The composer's keydown goes here first; true when the list used the key. */
  handleKey(event: KeyboardEvent): boolean;
  choose(suggestion: Suggestion): void;
  setActiveIndex(index: number): void;
}

export function useCompletion(options: CompletionOptions): Completion {
  const { field, text, setText, placeCaret, people, canMentionEveryone, loadChannels } = options;
  const [caret, setCaret] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [activeIndex, setActiveIndex] = useState(0);
  const catalog = useLoaded<EmojiCatalog>(loadedEmojiCatalog());
  const channels = useLoaded<readonly ChannelView[]>();

  const found = findTrigger(text, Math.min(caret, text.length));
  const trigger = found && found.start !== dismissedAt ? found : null;
  if (trigger?.kind === "emoji") catalog.want(loadEmojiCatalog);
  if (trigger?.kind === "channel" && loadChannels) channels.want(loadChannels);
  const suggestions = ((): Suggestion[] => {
    switch (trigger?.kind) {
      case "emoji":
        return catalog.value ? emojiSuggestions(catalog.value, trigger.query, skinTone.value) : [];
      case "mention":
        return mentionSuggestions(trigger.query, people(), canMentionEveryone);
      case "channel":
        return channelSuggestions(trigger.query, channels.value ?? []);
      default:
        return [];
    }
  })();

  // A new query starts at the first row again.
  useEffect(() => setActiveIndex(0), [trigger?.kind, trigger?.query]);

  const choose = (suggestion: Suggestion) => {
    if (!trigger) return;
    const applied = applyCompletion(text, caret, trigger, suggestion.insert);
    if (suggestion.icon.kind === "emoji") noteEmojiUsed(suggestion.insert);
    placeCaret(applied.caret);
    setCaret(applied.caret);
    setText(applied.text);
    field.current?.focus();
  };

  return {
    trigger,
    suggestions,
    activeIndex: Math.min(activeIndex, Math.max(0, suggestions.length - 1)),
    caretMoved() {
      const position = field.current?.selectionStart ?? 0;
      setCaret(position);
      // Esc closed one trigger's list; a trigger typed elsewhere opens again.
      if (dismissedAt !== null && findTrigger(field.current?.value ?? "", position)?.start !== dismissedAt)
        setDismissedAt(null);
    },
    replaceTypedShortcode(): boolean {
      const element = field.current;
      const typed = element && catalog.value ? typedShortcode(element.value, element.selectionStart) : null;
      const entry = typed && catalog.value?.byShortcode(typed.shortcode);
      if (!element || !typed || !entry) return false;
      const emoji = inSkinTone(entry, skinTone.peek());
      const caretAfter = typed.start + emoji.length;
      noteEmojiUsed(emoji);
      placeCaret(caretAfter);
      setCaret(caretAfter);
      setText(element.value.slice(0, typed.start) + emoji + element.value.slice(element.selectionStart));
      return true;
    },
    handleKey(event: KeyboardEvent): boolean {
      if (!trigger || suggestions.length === 0 || event.isComposing) return false;
      const count = suggestions.length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        setActiveIndex((index) => (index + (event.key === "ArrowDown" ? 1 : count - 1)) % count);
      } else if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
        const chosen = suggestions[Math.min(activeIndex, count - 1)];
        if (chosen) choose(chosen);
      } else if (event.key === "Escape") {
        setDismissedAt(trigger.start);
      } else {
        return false;
      }
      event.preventDefault();
      return true;
    },
    choose,
    setActiveIndex,
  };
}

/** A value loaded once, on first want; a failed load is wanted again next time. */
function useLoaded<T>(already: T | null = null) {
  const [value, setValue] = useState<T | null>(already);
  const state = useRef<"idle" | "loading" | "done">(already === null ? "idle" : "done");
  return {
    value,
    want(load: () => Promise<T>) {
      if (state.current !== "idle") return;
      state.current = "loading";
      load().then(
        (loaded) => {
          state.current = "done";
          setValue(() => loaded);
        },
        () => {
          state.current = "idle";
        },
      );
    },
  };
}
