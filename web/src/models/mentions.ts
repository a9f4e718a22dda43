/**
 * Mentions as typed: "@bob" names a member of the conversation, "@everyone" and
 * "@here" everyone in it (only for those allowed to). The server does not read
 * the text (it is end-to-end encrypted), so the client declares who it names.
 */
import { MENTIONED_USERS_MAX, type Mentions } from "../../../protocol/index.ts";

export interface Person {
  userId: string;
  username: string;
  /** Their picture's address, where the list they come from says it. */
  avatarUrl?: string | null;
}

/** An @ at the start or after a space or punctuation, then a username's characters. */
const MENTION = /(?<![\w@])@([A-Za-z0-9][A-Za-z0-9_.-]*)/g;

/** Who `text` mentions among `people`; @everyone and @here only count when `canMentionEveryone`. */
export function mentionsIn(text: string, people: readonly Person[], canMentionEveryone: boolean): Mentions {
  const byName = new Map(people.map((person) => [person.username.toLowerCase(), person.userId]));
  const userIds = new Set<string>();
  let everyone = false;
  let here = false;
  for (const match of text.matchAll(MENTION)) {
    // "thanks @bob." ends a sentence; the dot is not part of the name (unless the name has it).
    const typed = match[1]!.toLowerCase();
    const name = byName.has(typed) ? typed : typed.replace(/[._-]+$/, "");
    if (name === "everyone") everyone = canMentionEveryone;
    else if (name === "here") here = canMentionEveryone;
    const userId = byName.get(name);
    if (userId) userIds.add(userId);
  }
  return { userIds: [...userIds].slice(0, MENTIONED_USERS_MAX), roleIds: [], everyone, here };
}

export const hasMentions = (mentions: Mentions) =>
  mentions.userIds.length > 0 || mentions.roleIds.length > 0 || mentions.everyone || mentions.here;

/** The text split into plain runs and @mentions, for showing mentions highlighted. */
export function splitMentions(text: string): { text: string; isMention: boolean }[] {
  const parts: { text: string; isMention: boolean }[] = [];
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), isMention: false });
    parts.push({ text: match[0], isMention: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), isMention: false });
  return parts;
}
