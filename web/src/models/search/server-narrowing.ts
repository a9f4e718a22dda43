/**
 * What the server adds to a search while the device's index is incomplete: candidates
 * for the filters it can answer without words (channel, one sender, one mentioned
 * person, dates, pins, files) from `GET /api/search/messages`, decrypted here and put
 * into the index, so the words are matched against them like the rest. The words
 * themselves are never part of the request.
 */
import {
  SEARCH_CHANNELS_MAX,
  SEARCH_PAGE_MAX,
  type MessageView,
  type SearchMetadataPage,
} from "../../../../protocol/index.ts";
import type { Session } from "../session.ts";
import type { MessageReader } from "./message-reader.ts";
import type { SearchIndex } from "./search-index.ts";
import type { SearchQuery } from "./search-types.ts";

/** Metadata pages one search may read to fill the index for its filters. */
const NARROW_PAGES_MAX = 3;

/**
 * Puts the server's candidates for the query's filters into the index. For `pinned:`, also
 * names the pinned messages (channel:seq), which the server knows better than the index.
 * Null when the query asks nothing the server can answer.
 */
export async function narrowByServer(
  session: Session,
  reader: MessageReader,
  query: SearchQuery,
  held: SearchIndex,
): Promise<Set<string> | null> {
  const params = metadataParams(query);
  if (!params) return null;
  const pinned = query.pinned === null ? null : new Set<string>();
  if (pinned) params.set("pinned", "true");
  let cursor: string | null = null;
  for (let pages = 0; pages < NARROW_PAGES_MAX; pages++) {
    if (cursor) params.set("cursor", cursor);
    const page: SearchMetadataPage = await session.request(`/api/search/messages?${params}`);
    const byChannel = new Map<string, MessageView[]>();
    for (const message of page.messages)
      byChannel.set(message.channelId, [...(byChannel.get(message.channelId) ?? []), message]);
    for (const [channelId, messages] of byChannel) {
      const read = await reader.read(channelId, messages);
      if (read) await held.put(read.readable);
      for (const message of messages) pinned?.add(`${channelId}:${message.seq}`);
    }
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return pinned;
}

/**
 * What the server is asked for a query: its filters, never its words. Queries that differ
 * only in their words share one answer, so changing the words asks the server nothing new.
 */
export function narrowingKey(query: SearchQuery): string {
  return `${metadataParams(query)?.toString() ?? ""}|pinned=${query.pinned}`;
}

/** The metadata route's query for what the server can answer, or null when the query asks nothing of it. */
function metadataParams(query: SearchQuery): URLSearchParams | null {
  const params = new URLSearchParams({ limit: String(SEARCH_PAGE_MAX) });
  for (const channelId of query.channelIds.slice(0, SEARCH_CHANNELS_MAX)) params.append("channelId", channelId);
  // The route takes one sender and one mentioned person: with several, the index answers alone.
  if (query.fromUserIds.length === 1) params.set("senderId", query.fromUserIds[0]!);
  if (query.mentionsUserIds.length === 1) params.set("mentionsUserId", query.mentionsUserIds[0]!);
  if (query.before) params.set("before", query.before);
  if (query.after) params.set("after", query.after);
  if (query.has.includes("file")) params.set("hasFile", "true");
  const asksServer = [...params.keys()].some((name) => name !== "limit") || query.pinned !== null;
  return asksServer ? params : null;
}
