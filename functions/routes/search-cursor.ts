/**
 * Search's page cursor: where the previous page ended (sent_at in microseconds, channel,
 * seq), as base64url so clients treat it as opaque. A cursor is only a position, never
 * a grant: a forged one still reads only the caller's channels. Anything that is not a
 * cursor we made is refused with 400 before it reaches a query.
 */
import { z } from "zod";
import type { QueryOutput } from "../../db/index.ts";
import { AppError } from "../errors.ts";

type SearchPosition = NonNullable<QueryOutput<"searchMessages">["next"]>;

/** 0001-01-01 and the end of 9999, in microseconds since 1970: what PostgreSQL stores for our rows. */
const MICROS_MIN = -62_135_596_800_000_000n;
const MICROS_MAX = 253_402_300_799_999_999n;
const MICROS_PATTERN = /^-?\d{1,18}$/;
const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;

const positionSchema = z.tuple([
  // One check, not a regex then a refine: zod runs refinements on strings the regex refused.
  z
    .string()
    .refine((micros) => MICROS_PATTERN.test(micros) && BigInt(micros) >= MICROS_MIN && BigInt(micros) <= MICROS_MAX),
  z.uuid(),
  z
    .string()
    .regex(/^[1-9]\d{0,14}$/)
    .transform(Number),
]);

const invalidCursor = () =>
  new AppError(400, "invalid_cursor", "`cursor` must be the `nextCursor` of an earlier page, unchanged");

export function encodeCursor(position: SearchPosition): string {
  const text = `${position.sentAtMicros}.${position.channelId}.${position.seq}`;
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string): SearchPosition {
  if (!CURSOR_PATTERN.test(cursor)) throw invalidCursor();
  let text: string;
  try {
    text = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    throw invalidCursor();
  }
  const parsed = positionSchema.safeParse(text.split("."));
  if (!parsed.success) throw invalidCursor();
  const [sentAtMicros, channelId, seq] = parsed.data;
  return { sentAtMicros, channelId, seq };
}
