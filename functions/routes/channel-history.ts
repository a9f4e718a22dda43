/**
 * A channel's history over HTTP: pages before, after or around a seq (jump to a
 * message, jump to the first unread), the changes since an event (deletions
 * included, for a device's search index), a thread's replies, the pinned messages, an
 * edited message's earlier versions, and the caller's read position.
 */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import { historyQuerySchema, markReadSchema, threadQuerySchema } from "../../protocol/index.ts";
import { z } from "zod";
import { bytesToBase64 } from "../../protocol/index.ts";
import { channelAccess } from "../channel-access.ts";
import type { AppEnv } from "../context.ts";
import { userRateLimit } from "../abuse.ts";
import { limitBody, requireUser } from "../middleware.ts";
import { parse, parseJson } from "../validation.ts";
import { messageView } from "../views.ts";

const seqParam = z.coerce.number().int().positive();
/** Pages of history per person, over all their sessions: scrolling back fast is ~5 a second. */
const HISTORY_LIMIT = userRateLimit("history", (config) => config.HISTORY_PAGES_PER_MINUTE, 60);

// requireUser per route: these share their parent's paths with the ticket-authenticated socket route.
export const channelHistory = new Hono<AppEnv>()
  .get("/:channelId/messages", requireUser, HISTORY_LIMIT, async (c) => {
    const access = await channelAccess(c, c.req.param("channelId"));
    const channelId = access.context.channel.id;
    const { before, after, around, sinceEvent, limit } = parse(historyQuerySchema, c.req.query());
    const page =
      sinceEvent !== undefined
        ? await query(c.env.DATABASE, "messagesChangedAfter", {
            channelId,
            afterEvent: sinceEvent,
            limit,
            // No byte cap, as the other pages: a page shorter than `limit` then means "no more changes".
            maxBytes: Number.MAX_SAFE_INTEGER,
          })
        : after !== undefined
          ? await query(c.env.DATABASE, "messagesAfter", { channelId, afterSeq: after, limit })
          : around !== undefined
            ? await query(c.env.DATABASE, "messagesAround", { channelId, seq: around, limit })
            : await query(c.env.DATABASE, "messagesBefore", { channelId, beforeSeq: before ?? null, limit });
    return c.json({ messages: page.map(messageView) });
  })
  .get("/:channelId/threads/:seq", requireUser, HISTORY_LIMIT, async (c) => {
    const access = await channelAccess(c, c.req.param("channelId"));
    const rootSeq = parse(seqParam, c.req.param("seq"));
    const { after, limit } = parse(threadQuerySchema, c.req.query());
    const replies = await query(c.env.DATABASE, "threadMessages", {
      channelId: access.context.channel.id,
      rootSeq,
      afterSeq: after,
      limit,
    });
    return c.json({ messages: replies.map(messageView) });
  })
  .get("/:channelId/pins", requireUser, HISTORY_LIMIT, async (c) => {
    const access = await channelAccess(c, c.req.param("channelId"));
    const pinned = await query(c.env.DATABASE, "pinnedMessages", { channelId: access.context.channel.id });
    return c.json({ messages: pinned.map(messageView) });
  })
  .get("/:channelId/messages/:seq/versions", requireUser, HISTORY_LIMIT, async (c) => {
    const access = await channelAccess(c, c.req.param("channelId"));
    const seq = parse(seqParam, c.req.param("seq"));
    const versions = await query(c.env.DATABASE, "messageVersions", { channelId: access.context.channel.id, seq });
    return c.json({
      versions: versions.map((version) => ({
        payload: bytesToBase64(version.payload),
        sentAt: new Date(version.sentAt).toISOString(),
        replacedAt: new Date(version.replacedAt).toISOString(),
      })),
    });
  })
  .put("/:channelId/read", requireUser, limitBody, async (c) => {
    const access = await channelAccess(c, c.req.param("channelId"));
    const { seq } = await parseJson(c, markReadSchema);
    const lastReadSeq = await query(c.env.DATABASE, "markRead", {
      userId: c.get("userId"),
      channelId: access.context.channel.id,
      seq,
    });
    return c.json({ lastReadSeq });
  });
