/**
 * Emoji as Discord sizes them: a little larger than the words around them, and a
 * message made only of emoji (up to 27 of them) large, "jumbo". Unicode's
 * RGI_Emoji property (the `v` flag) knows every emoji sequence, skin tones and
 * flags included, so no emoji table is needed here.
 */
import type { ComponentChildren } from "preact";

/** Past this many emoji the message is shown at the usual size. */
export const JUMBO_EMOJI_MAX = 27;

// Built from strings: TypeScript's es2023 target does not accept the `v` flag in a literal.
const EMOJI = new RegExp("\\p{RGI_Emoji}", "gv");
const ONLY_EMOJI = new RegExp("^(?:\\p{RGI_Emoji}|\\s)+$", "v");
const ANY_EMOJI = new RegExp("\\p{RGI_Emoji}", "v");

/** Whether the text is emoji alone (spaces between them allowed), few enough to show large. */
export function isJumboEmoji(text: string): boolean {
  if (!ONLY_EMOJI.test(text)) return false;
  return (text.match(EMOJI)?.length ?? 0) <= JUMBO_EMOJI_MAX;
}

/** The words with each emoji in a span of its own, for sizing. */
export function textWithEmoji(text: string): ComponentChildren {
  if (!ANY_EMOJI.test(text)) return text;
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const match of text.matchAll(EMOJI)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(
      <span key={match.index} class="emoji">
        {match[0]}
      </span>,
    );
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}
