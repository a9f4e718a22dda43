/**
 * Text people type into Chatalot, as the server accepts it. Every free-text field is
 * built here, so the rules hold everywhere: trimmed, normalized to NFC, no control
 * characters (PostgreSQL refuses NUL outright, so one reached a half-made change before),
 * no lone surrogates; names that others see also carry no bidirectional controls or
 * invisible characters, which let a name display as something it is not.
 */
import { z } from "zod";

/** C0 controls, DEL and C1 controls; tab and newline are allowed where text may span lines. */
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F]/u;
const CONTROL_CHARACTERS_BUT_LINES = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/u;
/**
 * Bidirectional controls (embeddings, overrides, isolates, marks) and characters that
 * draw nothing (zero-width space and joiners, word joiner, invisible operators, BOM,
 * soft hyphen, Mongolian vowel separator, Hangul fillers, the Braille blank, musical
 * formatting): Unicode's identifier guidance (UAX #31, UTS #39) keeps them out of
 * identifiers. The zero-width joiner and non-joiner stay allowed: emoji sequences and
 * Persian and Indic names need them.
 */
/** A UTF-16 surrogate without its other half: JSON can carry one, UTF-8 cannot store it. */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BIDI_AND_INVISIBLE =
  /[\u00AD\u061C\u115F\u1160\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u2800\u3164\uFEFF\uFFA0\uFFFC\u{1D173}-\u{1D17A}]/u;

/** Why a string is refused, or null: shared by the schemas and the server's check of every body. */
export function textProblem(value: string, options: { allowsLines: boolean; isName: boolean }): string | null {
  if (UNPAIRED_SURROGATE.test(value)) return "contains an unpaired surrogate (not valid Unicode text)";
  const control = options.allowsLines ? CONTROL_CHARACTERS_BUT_LINES : CONTROL_CHARACTERS;
  if (control.test(value))
    return options.allowsLines
      ? "contains a control character (only line breaks and tabs are allowed)"
      : "contains a control character or a line break";
  if (options.isName && BIDI_AND_INVISIBLE.test(value))
    return "contains an invisible or text-direction character, which would let it display as something else";
  return null;
}

function text(max: number, options: { allowsLines: boolean; isName: boolean }) {
  return z
    .string()
    .trim()
    .normalize("NFC")
    .max(max)
    .superRefine((value, context) => {
      const problem = textProblem(value, options);
      if (problem) context.addIssue({ code: "custom", message: problem });
    });
}

/** A name others see: a display name, a community, role, category or device name. */
export const nameText = (max: number) => text(max, { allowsLines: false, isName: true });
/** One line of text: a reason, a topic, a search. */
export const lineText = (max: number) => text(max, { allowsLines: false, isName: false });
/** Text that may span lines: a bio, a description, an announcement. */
export const paragraphText = (max: number) => text(max, { allowsLines: true, isName: false });

/** Any string anywhere in a request (the fields above check more): true when PostgreSQL could not store it. */
export function isUnstorableText(value: string): boolean {
  return value.includes("\u0000") || UNPAIRED_SURROGATE.test(value);
}
