/**
 * `GET /api/search/messages`: search's server half, metadata only. The words a person
 * searches for never come here (their device matches text in its own index); this
 * narrows candidates by sender, mentions, dates, pins, files and thread, across the
 * channels the caller may read right now, newest first, a keyset page at a time.
 */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import { searchMetadataQuerySchema, type SearchMetadataPage } from "../../protocol/index.ts";
import { userRateLimit } from "../abuse.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.ts";
import { requireUser } from "../middleware.ts";
import { parse } from "../validation.ts";
import { visibleChannelIds } from "../visible-channels.ts";
import { messageView } from "../views.ts";
import { decodeCursor, encodeCursor } from "./search-cursor.ts";

/** A search page reads what a history page does: it counts against the same per-person budget. */
const SEARCH_LIMIT = userRateLimit("history", (config) => config.HISTORY_PAGES_PER_MINUTE, 60);
const BOOLEAN_PARAMS = new Set(["pinned", "hasFile"]);
const INTEGER_PARAMS = new Set(["limit", "threadRootSeq"]);
/** PostgreSQL's timestamps start at year 1 and end with 9999; instants past either end mean the same as the end. */
const INSTANT_MIN_MS = -62_135_596_800_000; // 0001-01-01T00:00:00Z
const INSTANT_MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export const search = new Hono<AppEnv>().get("/messages", requireUser, SEARCH_LIMIT, async (c) => {
  const filters = parse(searchMetadataQuerySchema, typedParams(c.req.queries()));
  const from = filters.cursor === undefined ? null : decodeCursor(filters.cursor);
  const visible = await visibleChannelIds(c);
  // A channel named that the caller cannot read is dropped without a word: an error, or
  // an answer that differs, would tell them it exists.
  const named = filters.channelId ? new Set(filters.channelId) : null;
  const channelIds = named ? visible.filter((id) => named.has(id)) : visible;
  const page = await query(c.env.DATABASE, "searchMessages", {
    channelIds,
    senderId: filters.senderId,
    mentionsUserId: filters.mentionsUserId,
    before: filters.before === undefined ? undefined : instant(filters.before, "before"),
    after: filters.after === undefined ? undefined : instant(filters.after, "after"),
    pinned: filters.pinned,
    hasFile: filters.hasFile,
    threadRootSeq: filters.threadRootSeq,
    from,
    limit: filters.limit,
  });
  return c.json({
    messages: page.messages.map(messageView),
    nextCursor: page.next ? encodeCursor(page.next) : null,
  } satisfies SearchMetadataPage);
});

/**
 * A query string holds only strings: `channelId` may repeat, every other name once;
 * "true"/"false" and whole numbers become what the schema expects, and anything else
 * stays a string, so the schema names the field and what it wanted.
 */
function typedParams(params: Record<string, string[]>): Record<string, unknown> {
  const typed: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(params)) {
    if (name === "channelId") {
      typed[name] = values;
      continue;
    }
    if (values.length > 1) throw new AppError(400, "invalid_request", `${name}: give it once`);
    const value = values[0]!;
    if (BOOLEAN_PARAMS.has(name) && (value === "true" || value === "false")) typed[name] = value === "true";
    else if (INTEGER_PARAMS.has(name) && /^-?\d{1,16}$/.test(value)) typed[name] = Number(value);
    else typed[name] = value;
  }
  return typed;
}

/** An ISO 8601 instant the schema accepted, as PostgreSQL can take it. */
function instant(text: string, name: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new AppError(400, "invalid_request", `${name}: not a date and time`);
  return new Date(Math.min(INSTANT_MAX_MS, Math.max(INSTANT_MIN_MS, ms))).toISOString();
}
