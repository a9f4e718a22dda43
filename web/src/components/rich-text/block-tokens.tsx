/**
 * A message's blocks as Preact elements: lines, quotes, lists, small headings,
 * subtext and code blocks, laid out as Discord does (no paragraph margins; blank
 * lines typed between blocks are kept).
 */
import type { ComponentChildren } from "preact";
import type { Token, Tokens } from "marked";
import { CodeBlock } from "./code-block.tsx";
import { inlineElements } from "./inline-tokens.tsx";
import type { QuoteToken, SubtextToken } from "./parse-message.ts";

export function blockElements(tokens: readonly Token[]): ComponentChildren {
  return tokens.map(blockElement);
}

function blockElement(token: Token, key: number): ComponentChildren {
  const known = token as Tokens.Generic;
  switch (known.type) {
    case "paragraph":
      return <div key={key}>{inlineElements(known.tokens)}</div>;
    case "text":
      return inlineElements(known.tokens) ?? known.text;
    case "space":
      return blankLines(known.raw, key);
    case "heading":
      return headingElement(known as Tokens.Heading, key);
    case "quote":
      return (
        <blockquote key={key} class="message-quote">
          {blockElements((known as QuoteToken).tokens)}
        </blockquote>
      );
    case "subtext":
      return (
        <small key={key} class="subtext">
          {inlineElements((known as SubtextToken).tokens)}
        </small>
      );
    case "list":
      return listElement(known as Tokens.List, key);
    case "checkbox":
      // "- [ ] task": Discord has no task lists; the brackets stay words before the item's text.
      return known.raw;
    case "code":
      return <CodeBlock key={key} code={known.text} language={known.lang || undefined} />;
    default:
      return <div key={key}>{known.raw}</div>;
  }
}

/** Blank lines between blocks: the newlines after the one that ends the block before. */
function blankLines(raw: string, key: number): ComponentChildren {
  const count = raw.split("\n").length - 2;
  if (count < 1) return null;
  return (
    <div key={key} aria-hidden="true">
      {Array.from({ length: count }, (_, index) => (
        <br key={index} />
      ))}
    </div>
  );
}

/**
 * Discord's # ## ### are larger bold lines, not page titles: they are headings
 * below the app's own (h3 to h5) so the page's outline stays the app's.
 */
function headingElement(token: Tokens.Heading, key: number): ComponentChildren {
  const Heading = token.depth === 1 ? "h3" : token.depth === 2 ? "h4" : "h5";
  return (
    <Heading key={key} class={`message-heading is-level-${token.depth}`}>
      {inlineElements(token.tokens)}
    </Heading>
  );
}

function listElement(token: Tokens.List, key: number): ComponentChildren {
  const items = token.items.map((item, index) => <li key={index}>{blockElements(item.tokens)}</li>);
  return token.ordered ? (
    <ol key={key} start={token.start === "" || token.start === 1 ? undefined : token.start}>
      {items}
    </ol>
  ) : (
    <ul key={key}>{items}</ul>
  );
}
