/**
 * What a person typed in the search box, read as Discord reads it: plain words,
 * "quoted phrases" and filters (`from:`, `in:`, `has:`, `mentions:`, `before:`,
 * `after:`, `during:`, `pinned:`), with names resolved to ids through the people and
 * places the app knows. Total over every string (any length, quotes left open,
 * regex characters, RTL, emoji): nothing throws; what it cannot read is kept as
 * `unknown`, each with the reason the results panel shows.
 */
import type { SearchHas, SearchQuery } from "./search-types.ts";

export interface SearchPerson {
  userId: string;
  username: string;
  displayName: string | null;
}

/** A channel, or a conversation (named by its people, or its given name for a group). */
export interface SearchPlace {
  channelId: string;
  /** A channel's name without "#"; a conversation's shown name. */
  name: string;
  kind: "channel" | "dm" | "group";
  communityId: string | null;
  communityName: string | null;
  /** A 1:1 conversation's other person, so `in:bob` finds it. */
  personId: string | null;
}

export interface SearchDirectory {
  people: readonly SearchPerson[];
  places: readonly SearchPlace[];
  /** The community on screen: `in:#general` means its #general when several communities have one. */
  currentCommunityId: string | null;
}

export const SEARCH_FILTERS = ["from", "in", "has", "mentions", "before", "after", "during", "pinned"] as const;
export type SearchFilter = (typeof SEARCH_FILTERS)[number];

export const HAS_VALUES: readonly SearchHas[] = ["link", "file", "image", "video", "audio"];
/** Discord's and Slack's other words for the same kinds. */
const HAS_ALIASES: Readonly<Record<string, SearchHas>> = { sound: "audio", embed: "link", attachment: "file" };

export interface ParsedSearch {
  query: SearchQuery;
  /** Each piece the parser could not use, and why, in the order typed. */
  notes: { text: string; reason: string }[];
  /**
   * A `from:`, `in:` or `mentions:` named no one or nowhere the person knows: nothing
   * can match (and a channel they cannot read looks exactly like one that does not exist).
   */
  matchesNothing: boolean;
}

/** One piece of the text: a filter's key and value, or a word or phrase (`key` null). */
export interface SearchToken {
  key: string | null;
  value: string;
  /** Written in quotes (a phrase, or a quoted filter value). */
  isQuoted: boolean;
  start: number;
  end: number;
}

const isSpace = (character: string) => /\s/u.test(character);
const FILTER_KEY = /^[a-z]+$/i;

/** Splits the text into tokens in one pass; a quote left open runs to the end. */
export function tokenize(text: string): SearchToken[] {
  const tokens: SearchToken[] = [];
  let index = 0;
  while (index < text.length) {
    if (isSpace(text[index]!)) {
      index += 1;
      continue;
    }
    const start = index;
    if (text[index] === '"') {
      const close = text.indexOf('"', index + 1);
      const end = close === -1 ? text.length : close + 1;
      tokens.push({ key: null, value: text.slice(index + 1, close === -1 ? end : close), isQuoted: true, start, end });
      index = end;
      continue;
    }
    while (index < text.length && !isSpace(text[index]!) && text[index] !== '"') {
      if (text[index] === ":") break;
      index += 1;
    }
    const head = text.slice(start, index);
    // `key:` starts a filter only for a word of letters, and not a link (`https://`).
    if (text[index] === ":" && FILTER_KEY.test(head) && text[index + 1] !== "/") {
      index += 1;
      if (text[index] === '"') {
        const close = text.indexOf('"', index + 1);
        const end = close === -1 ? text.length : close + 1;
        tokens.push({
          key: head.toLowerCase(),
          value: text.slice(index + 1, close === -1 ? end : close),
          isQuoted: true,
          start,
          end,
        });
        index = end;
        continue;
      }
      const valueStart = index;
      while (index < text.length && !isSpace(text[index]!)) index += 1;
      tokens.push({
        key: head.toLowerCase(),
        value: text.slice(valueStart, index),
        isQuoted: false,
        start,
        end: index,
      });
      continue;
    }
    while (index < text.length && !isSpace(text[index]!) && text[index] !== '"') index += 1;
    tokens.push({ key: null, value: text.slice(start, index), isQuoted: false, start, end: index });
  }
  return tokens;
}

const folded = (name: string) => name.normalize("NFKC").toLocaleLowerCase();

/** The one person a name means: a username first, else a display name; several or none is null. */
export function resolvePerson(value: string, people: readonly SearchPerson[]): string | null {
  const name = folded(value.replace(/^@/, ""));
  if (!name) return null;
  const byUsername = people.filter((person) => folded(person.username) === name);
  if (byUsername.length === 1) return byUsername[0]!.userId;
  if (byUsername.length > 1) return null;
  const byDisplayName = people.filter((person) => person.displayName && folded(person.displayName) === name);
  return byDisplayName.length === 1 ? byDisplayName[0]!.userId : null;
}

/** The one place `in:` names: `#name` a channel (the open community's first), a bare name also a conversation. */
export function resolvePlace(value: string, directory: SearchDirectory): string | null {
  const isChannel = value.startsWith("#");
  const name = folded(value.replace(/^#/, ""));
  if (!name) return null;
  const channels = directory.places.filter((place) => place.kind === "channel" && folded(place.name) === name);
  const here = channels.filter((place) => place.communityId === directory.currentCommunityId);
  const chosen = here.length > 0 ? here : channels;
  if (chosen.length === 1) return chosen[0]!.channelId;
  if (chosen.length > 1 || isChannel) return null;
  const personId = resolvePerson(name, directory.people);
  const conversations = directory.places.filter(
    (place) =>
      place.kind !== "channel" && (folded(place.name) === name || (personId !== null && place.personId === personId)),
  );
  return conversations.length === 1 ? conversations[0]!.channelId : null;
}

/** The local midnight starting the day `value` names (YYYY-MM-DD, today, yesterday), or null. */
export function dayStart(value: string, now: Date): Date | null {
  const word = value.toLowerCase();
  if (word === "today" || word === "yesterday") {
    const day = new Date(now.getFullYear(), now.getMonth(), now.getDate());
    if (word === "yesterday") day.setDate(day.getDate() - 1);
    return day;
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const day = new Date(year, month - 1, date);
  // new Date rolls 2026-02-30 over to March: a date that does not exist is refused.
  return day.getFullYear() === year && day.getMonth() === month - 1 && day.getDate() === date ? day : null;
}

const nextDay = (day: Date) => new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1);
const earlier = (a: string | null, b: string) => (a === null || Date.parse(b) < Date.parse(a) ? b : a);
const later = (a: string | null, b: string) => (a === null || Date.parse(b) > Date.parse(a) ? b : a);

export function emptyQuery(): SearchQuery {
  return {
    words: [],
    phrases: [],
    fromUserIds: [],
    channelIds: [],
    has: [],
    mentionsUserIds: [],
    before: null,
    after: null,
    pinned: null,
    unknown: [],
  };
}

/** Reads the search box's text; `now` decides what "today" is. */
export function parseSearch(text: string, directory: SearchDirectory, now = new Date()): ParsedSearch {
  const query = emptyQuery();
  const notes: ParsedSearch["notes"] = [];
  let matchesNothing = false;
  const refuse = (token: SearchToken, reason: string) => {
    const written = text.slice(token.start, token.end);
    query.unknown.push(written);
    notes.push({ text: written, reason });
  };
  const addOnce = <T>(list: T[], value: T) => void (list.includes(value) || list.push(value));

  for (const token of tokenize(text)) {
    const { key, value } = token;
    if (key === null) {
      if (token.isQuoted) {
        if (value.trim()) query.phrases.push(value);
      } else query.words.push(value);
      continue;
    }
    if (!(SEARCH_FILTERS as readonly string[]).includes(key)) {
      // "Agenda:" at the end of a word is a word; "frm:alice" is a filter mistyped.
      if (value) refuse(token, `“${key}:” is not a search filter`);
      else query.words.push(text.slice(token.start, token.end));
      continue;
    }
    if (!value.trim()) {
      refuse(token, `“${key}:” needs something after it`);
      continue;
    }
    switch (key as SearchFilter) {
      case "from":
      case "mentions": {
        const userId = resolvePerson(value, directory.people);
        if (userId) addOnce(key === "from" ? query.fromUserIds : query.mentionsUserIds, userId);
        else {
          refuse(token, `no one you know is called “${value}”, or several are`);
          matchesNothing = true;
        }
        break;
      }
      case "in": {
        const channelId = resolvePlace(value, directory);
        if (channelId) addOnce(query.channelIds, channelId);
        else {
          refuse(token, `you have no channel or conversation called “${value}”, or several`);
          matchesNothing = true;
        }
        break;
      }
      case "has": {
        const word = value.toLowerCase().replace(/s$/, "");
        const kind = HAS_VALUES.find((has) => has === word) ?? HAS_ALIASES[word];
        if (kind) addOnce(query.has, kind);
        else refuse(token, `“has:” takes ${HAS_VALUES.join(", ")}`);
        break;
      }
      case "pinned": {
        const word = value.toLowerCase();
        if (word === "true" || word === "yes") query.pinned = true;
        else if (word === "false" || word === "no") query.pinned = false;
        else refuse(token, "“pinned:” takes true or false");
        break;
      }
      default: {
        const day = dayStart(value, now);
        if (!day) {
          refuse(token, `“${key}:” takes a date as YYYY-MM-DD, today or yesterday`);
          break;
        }
        // after: is the days after the one named, as in Discord and Slack; before: the days before it.
        if (key === "before" || key === "during")
          query.before = earlier(query.before, (key === "before" ? day : nextDay(day)).toISOString());
        if (key === "after" || key === "during")
          query.after = later(query.after, (key === "after" ? nextDay(day) : day).toISOString());
      }
    }
  }
  return { query, notes, matchesNothing };
}

/** Whether the query asks for anything at all (an empty box searches nothing). */
export function isEmptyQuery(query: SearchQuery): boolean {
  return (
    query.words.length === 0 &&
    query.phrases.length === 0 &&
    query.fromUserIds.length === 0 &&
    query.channelIds.length === 0 &&
    query.has.length === 0 &&
    query.mentionsUserIds.length === 0 &&
    query.before === null &&
    query.after === null &&
    query.pinned === null
  );
}
