/**
 * How people present themselves beyond their username: the custom status (Discord's
 * "Set a custom status": a line of text, an emoji, cleared after a while) and the
 * public profile fields others' lists carry. Profile editing itself is
 * `profileSchema` in api.ts.
 */
import { z } from "zod";
import { lineText } from "./text.ts";

export const CUSTOM_STATUS_MAX_LENGTH = 128;
/** One emoji, possibly a sequence (flags, skin tones, families): a few code points at most. */
export const STATUS_EMOJI_MAX_LENGTH = 32;
/** A status may be set to clear itself at most this far ahead; longer is "never". */
export const CUSTOM_STATUS_MAX_DAYS = 31;

/** `PATCH /api/account/status`: text null or empty clears the status. */
export const customStatusSchema = z.strictObject({
  text: lineText(CUSTOM_STATUS_MAX_LENGTH).nullable(),
  emoji: lineText(STATUS_EMOJI_MAX_LENGTH).nullable().optional(),
  /** When it clears itself (ISO 8601, in the future); null or absent: never. */
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type CustomStatusInput = z.infer<typeof customStatusSchema>;

export interface CustomStatusView {
  text: string;
  emoji: string | null;
  /** When it clears itself, or null for never. The server stops sending it after this. */
  expiresAt: string | null;
}
