/**
 * What the person is completing at the caret: `:thu` (an emoji by shortcode), `@bo`
 * (a person, or @here and @everyone), `#gen` (a channel). A trigger counts at the
 * start of the text or after a space or punctuation, so "me@example" and "10:30"
 * offer nothing.
 */
export type CompletionKind = "emoji" | "mention" | "channel";

export interface CompletionTrigger {
  kind: CompletionKind;
  /** What follows the trigger character, up to the caret. */
  query: string;
  /** Where the trigger character is: the text from here to the caret is replaced. */
  start: number;
}

/** The trigger character, then what a shortcode, username or channel name is made of, ending at the caret. */
const TRIGGERS: { kind: CompletionKind; pattern: RegExp }[] = [
  // Two characters at least, as in Discord: ":)" and ":D" are not searches.
  { kind: "emoji", pattern: /(?:^|[\s([{"'])(:([a-z0-9_+-]{2,}))$/i },
  { kind: "mention", pattern: /(?:^|[\s([{"'])(@([\w.-]*))$/ },
  { kind: "channel", pattern: /(?:^|[\s([{"'])(#([\w-]*))$/ },
];

export function findTrigger(text: string, caret: number): CompletionTrigger | null {
  const before = text.slice(0, caret);
  for (const { kind, pattern } of TRIGGERS) {
    const match = pattern.exec(before);
    if (match) return { kind, query: match[2]!, start: caret - match[1]!.length };
  }
  return null;
}

/** A whole shortcode just typed, closing colon and all (":tada:"), ending at the caret. */
const TYPED_SHORTCODE = /(?:^|[\s([{"'])(:([a-z0-9_+-]{2,}):)$/i;

export function typedShortcode(text: string, caret: number): { shortcode: string; start: number } | null {
  const match = TYPED_SHORTCODE.exec(text.slice(0, caret));
  return match ? { shortcode: match[2]!, start: caret - match[1]!.length } : null;
}

/** The text with the trigger and its query replaced by `insert` and a space, and where the caret goes after it. */
export function applyCompletion(
  text: string,
  caret: number,
  trigger: CompletionTrigger,
  insert: string,
): { text: string; caret: number } {
  const after = text.slice(caret);
  const spaced = after.startsWith(" ") ? insert : `${insert} `;
  const next = text.slice(0, trigger.start) + spaced + after;
  return { text: next, caret: trigger.start + spaced.length + (after.startsWith(" ") ? 1 : 0) };
}
