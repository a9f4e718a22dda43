/**
 * Message text read as Discord's markdown: marked's lexer, set up to keep what
 * Discord renders (bold, italic, __underline__, ~~strike~~, ||spoilers||, code,
 * `>` and `>>>` quotes, lists, small headings, `-#` subtext, links) and to leave
 * the rest as the words typed: no raw HTML, tables, rules, images, indented
 * code or reference links. Only tokens come out; rendering them is Preact's job.
 */
import { Marked, type Token, type TokenizerExtension, type Tokens } from "marked";

/** A `>>> ` quotes the rest of the message; `> ` quotes one line (Discord does not continue it lazily). */
const QUOTE_REST = /^>>> ([\s\S]*)$/;
const QUOTE_LINES = /^(?:> [^\n]*(?:\n|$)|>(?:\n|$))+/;
/** Discord's subtext: a line starting with "-# ", shown small and muted. */
const SUBTEXT_LINE = /^-# +([^\n]+)(?:\n|$)/;
/** Headings deeper than ### stay words, as in Discord. */
const DEEP_HEADING = /^ {0,3}#{4,}/;
const SPOILER = /^\|\|([\s\S]+?)\|\|/;
/**
 * An @ at the start or after a space or punctuation, then a username's characters (as
 * models/mentions.ts reads them), less a sentence's closing dot or dash ("thanks @bob.").
 */
const MENTION = /^@[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?/;
const MENTION_START = /(?<![\w@])@[A-Za-z0-9]/;
const WORD_OR_AT = /[\w@]/;

export interface QuoteToken extends Tokens.Generic {
  type: "quote";
  tokens: Token[];
}
export interface SubtextToken extends Tokens.Generic {
  type: "subtext";
  tokens: Token[];
}
export interface SpoilerToken extends Tokens.Generic {
  type: "spoiler";
  tokens: Token[];
}
export interface MentionToken extends Tokens.Generic {
  type: "mention";
  text: string;
}

const quote: TokenizerExtension = {
  name: "quote",
  level: "block",
  start: (src) => src.match(/^>|\n>/)?.index,
  tokenizer(src) {
    const rest = QUOTE_REST.exec(src);
    if (rest) return { type: "quote", raw: src, tokens: this.lexer.blockTokens(rest[1]!) };
    const lines = QUOTE_LINES.exec(src);
    if (!lines) return undefined;
    const inner = lines[0].replace(/^> ?/gm, "").replace(/\n$/, "");
    return { type: "quote", raw: lines[0], tokens: this.lexer.blockTokens(inner) };
  },
};

const subtext: TokenizerExtension = {
  name: "subtext",
  level: "block",
  start: (src) => src.match(/^-# |\n-# /)?.index,
  tokenizer(src) {
    const line = SUBTEXT_LINE.exec(src);
    if (!line) return undefined;
    return { type: "subtext", raw: line[0], tokens: this.lexer.inlineTokens(line[1]!) };
  },
};

const spoiler: TokenizerExtension = {
  name: "spoiler",
  level: "inline",
  start(src) {
    const at = src.indexOf("||");
    return at >= 0 ? at : undefined;
  },
  tokenizer(src) {
    const hidden = SPOILER.exec(src);
    if (!hidden) return undefined;
    return { type: "spoiler", raw: hidden[0], tokens: this.lexer.inlineTokens(hidden[1]!) };
  },
};

const mention: TokenizerExtension = {
  name: "mention",
  level: "inline",
  start: (src) => (src.startsWith("@") ? 0 : src.match(MENTION_START)?.index),
  tokenizer(src, tokens) {
    const typed = MENTION.exec(src);
    const before = tokens.at(-1)?.raw.at(-1);
    if (!typed || (before !== undefined && WORD_OR_AT.test(before))) return undefined;
    return { type: "mention", raw: typed[0], text: typed[0] };
  },
};

/** Tokenizers that Discord has no counterpart for: returning nothing leaves their text as words. */
const none = () => undefined;

const discord = new Marked({
  gfm: true,
  breaks: true,
  extensions: [quote, subtext, spoiler, mention],
  tokenizer: {
    blockquote: none,
    code: none,
    def: none,
    hr: none,
    html: none,
    lheading: none,
    table: none,
    tag: none,
    reflink: none,
    heading: (src) => (DEEP_HEADING.test(src) ? undefined : false),
  },
});

/** The message's tokens, Discord's way; leading and trailing blank lines dropped. */
export function parseMessage(text: string): Token[] {
  return discord.lexer(text.replace(/^\s*\n|\s+$/g, ""));
}
