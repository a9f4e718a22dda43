/**
 * What the composer offers for a trigger (completion-trigger.ts): emoji by
 * shortcode or name, the channel's people (and @here and @everyone for those
 * allowed to use them), the community's channels. Names that start with what was
 * typed come before names that only hold it.
 */
import type { ChannelView } from "../../../../protocol/index.ts";
import type { Person } from "../../models/mentions.ts";
import type { EmojiCatalog } from "../emoji/emoji-catalog.ts";
import { inSkinTone } from "../emoji/skin-tone.ts";

/** Rows in the list, as in Discord. */
export const SUGGESTIONS_MAX = 8;

export interface Suggestion {
  /** Unique in the list: the option's element id is made from it. */
  key: string;
  /** What the row shows first: ":tada:", "bob", "#general". */
  label: string;
  /** What it shows after, quieter: "Notify everyone in this channel". */
  detail: string | null;
  /** What replaces the trigger: "🎉", "@bob", "#general". */
  insert: string;
  icon: { kind: "emoji"; emoji: string } | { kind: "person"; person: Person } | { kind: "symbol"; text: string };
}

export function emojiSuggestions(catalog: EmojiCatalog, query: string, tone: number): Suggestion[] {
  return catalog.search(query, SUGGESTIONS_MAX).map((entry) => {
    const emoji = inSkinTone(entry, tone);
    const shortcode = entry.shortcodes[0] ?? entry.label.toLowerCase().replace(/\W+/g, "_");
    return {
      key: `emoji-${shortcode}`,
      label: `:${shortcode}:`,
      detail: null,
      insert: emoji,
      icon: { kind: "emoji", emoji },
    };
  });
}

const BROADCASTS = [
  { name: "here", detail: "Notify everyone online in this channel" },
  { name: "everyone", detail: "Notify everyone in this channel" },
];

/** The member lists carry display names (protocol MemberView); a mention still names the username. */
type Candidate = Person & { displayName?: string | null };

export function mentionSuggestions(
  query: string,
  people: readonly Person[],
  canMentionEveryone: boolean,
): Suggestion[] {
  const byUsername = byRelevance(people as readonly Candidate[], (person) => person.username, query);
  const byDisplayName = byRelevance(people as readonly Candidate[], (person) => person.displayName ?? "", query);
  const found = [...new Set([...byUsername, ...byDisplayName])].map((person): Suggestion => ({
    key: `person-${person.userId}`,
    label: person.displayName || person.username,
    detail: person.displayName ? person.username : null,
    insert: `@${person.username}`,
    icon: { kind: "person", person },
  }));
  const broadcasts = canMentionEveryone
    ? byRelevance(BROADCASTS, (broadcast) => broadcast.name, query).map((broadcast): Suggestion => ({
        key: `broadcast-${broadcast.name}`,
        label: `@${broadcast.name}`,
        detail: broadcast.detail,
        insert: `@${broadcast.name}`,
        icon: { kind: "symbol", text: "@" },
      }))
    : [];
  return [...found, ...broadcasts].slice(0, SUGGESTIONS_MAX);
}

export function channelSuggestions(query: string, channels: readonly ChannelView[]): Suggestion[] {
  return byRelevance(channels, (channel) => channel.name, query)
    .slice(0, SUGGESTIONS_MAX)
    .map((channel) => ({
      key: `channel-${channel.id}`,
      label: channel.name,
      detail: channel.kind === "voice" ? "voice channel" : null,
      insert: `#${channel.name}`,
      icon: { kind: "symbol", text: channel.kind === "voice" ? "🔊" : "#" },
    }));
}

/** Items whose name starts with the query (in their order), then those that hold it elsewhere. */
function byRelevance<T>(items: readonly T[], nameOf: (item: T) => string, query: string): T[] {
  const wanted = query.toLowerCase();
  const starting = items.filter((item) => nameOf(item).toLowerCase().startsWith(wanted));
  const holding = items.filter((item) => {
    const name = nameOf(item).toLowerCase();
    return !name.startsWith(wanted) && name.includes(wanted);
  });
  return [...starting, ...holding];
}
