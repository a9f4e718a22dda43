/**
 * A line's tokens as Preact elements: emphasis, code, links, spoilers, mentions.
 * Every token the parser may give has a case; whatever is not formatting is shown
 * as the characters typed (text nodes, never HTML).
 */
import type { ComponentChildren } from "preact";
import type { Token, Tokens } from "marked";
import { textWithEmoji } from "./emoji-text.tsx";
import { linkableUrl, MessageLink } from "./message-link.tsx";
import type { MentionToken, SpoilerToken } from "./parse-message.ts";
import { Spoiler } from "./spoiler.tsx";

export function inlineElements(tokens: readonly Token[] | undefined): ComponentChildren {
  return tokens?.map(inlineElement);
}

function inlineElement(token: Token, key: number): ComponentChildren {
  const known = token as Tokens.Generic;
  switch (known.type) {
    case "text":
    case "escape":
      // A list item's text carries its own inline tokens.
      return known.tokens ? inlineElements(known.tokens) : textWithEmoji(known.text);
    case "strong":
      // Discord reads __x__ as underline and **x** as bold; marked calls both strong.
      return known.raw.startsWith("__") ? (
        <u key={key}>{inlineElements(known.tokens)}</u>
      ) : (
        <strong key={key}>{inlineElements(known.tokens)}</strong>
      );
    case "em":
      return <em key={key}>{inlineElements(known.tokens)}</em>;
    case "del":
      return <s key={key}>{inlineElements(known.tokens)}</s>;
    case "codespan":
      return (
        <code key={key} class="inline-code">
          {known.text}
        </code>
      );
    case "br":
      return <br key={key} />;
    case "link":
      return linkElement(known as Tokens.Link, key);
    case "spoiler":
      return <Spoiler key={key}>{inlineElements((known as SpoilerToken).tokens)}</Spoiler>;
    case "mention":
      return (
        <span key={key} class="mention">
          {(known as MentionToken).text}
        </span>
      );
    default:
      // Images, checkboxes and anything else Discord does not format: the words as typed.
      return known.raw;
  }
}

function linkElement(token: Tokens.Link, key: number): ComponentChildren {
  const url = linkableUrl(token.href);
  if (!url) return token.raw;
  if (token.autolink) {
    return (
      <MessageLink key={key} url={url}>
        {token.text}
      </MessageLink>
    );
  }
  return (
    <MessageLink key={key} url={url} maskedWords={token.text}>
      {inlineElements(token.tokens)}
    </MessageLink>
  );
}
