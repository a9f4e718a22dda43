/**
 * Search's wire shape. The words a person searches for never leave their device: the
 * browser matches text in its own encrypted index (web/src/models/search/). The server
 * only narrows candidates by what it already stores in the clear (sender, channel,
 * dates, pins, files, mentions, threads) through `GET /api/search/messages`.
 */
import { z } from "zod";
import type { MessageView } from "./messages.ts";

/** At most this many channels named in one metadata query (`channelId` repeated). */
export const SEARCH_CHANNELS_MAX = 100;
/** A metadata page: at most this many messages. */
export const SEARCH_PAGE_MAX = 100;

/**
 * The metadata route's query string. Every field is optional; several `channelId`s are
 * allowed. Channels the caller cannot read are dropped silently (no result, no error that
 * would reveal they exist). `cursor` is opaque: the previous page's `nextCursor`.
 * On the wire it is a query string (`channelId` repeated, booleans as `true`/`false`, numbers
 * in decimal): the route turns those into this shape, then parses. Any other name, or a name
 * but `channelId` given twice, is refused (400 `invalid_request`; a cursor the server did not
 * make, 400 `invalid_cursor`). Each page counts against HISTORY_PAGES_PER_MINUTE.
 */
export const searchMetadataQuerySchema = z.strictObject({
  channelId: z.array(z.uuid()).max(SEARCH_CHANNELS_MAX).optional(),
  /** Sent by this person. */
  senderId: z.uuid().optional(),
  /** Declares this person as mentioned (the sender's declared mentions). */
  mentionsUserId: z.uuid().optional(),
  /** Sent strictly before / at or after these instants (ISO 8601). */
  before: z.iso.datetime({ offset: true }).optional(),
  after: z.iso.datetime({ offset: true }).optional(),
  pinned: z.boolean().optional(),
  /** Carries at least one stored file (the server knows uploads, not their kinds). */
  hasFile: z.boolean().optional(),
  /** Replies in the thread that this message starts. */
  threadRootSeq: z.number().int().positive().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(SEARCH_PAGE_MAX).default(50),
});
export type SearchMetadataQuery = z.infer<typeof searchMetadataQuerySchema>;

/**
 * Newest first (sentAt, then channel, then seq); deleted messages are never returned.
 * `nextCursor` asks for the next, older page as `cursor`; null on the last page.
 */
export interface SearchMetadataPage {
  messages: MessageView[];
  nextCursor: string | null;
}
