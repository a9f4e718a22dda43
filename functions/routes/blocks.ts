/**
 * /api/blocks: the people the signed-in user has blocked; block and unblock. A
 * block refuses new DMs either way and makes an existing 1:1 DM read-only for both
 * at once; the blocker's other devices and both people's conversation lists hear
 * of it live.
 */
import { Hono, type Context } from "hono";
import { query } from "../../db/index.ts";
import { uuidSchema } from "../../protocol/index.ts";
import { publishAccessChange } from "../access-changes.ts";
import type { AppEnv } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import { requireUser } from "../middleware.ts";
import { parse } from "../validation.ts";
import { tellPeople } from "./direct-notices.ts";

/**
 * Tells the DM between the two, if any, to re-read who may send; the blocker's
 * devices their blocked list, and both their conversation lists (who may write).
 */
async function dmAccessChanged(c: Context<AppEnv>, otherId: string, kind: "dm.blocked" | "dm.unblocked") {
  const userId = c.get("userId");
  const channelId = await query(c.env.DATABASE, "dmBetween", { userId, otherId });
  if (channelId) await publishAccessChange(c, { kind, communityId: null, channelId, userId: null });
  await tellPeople(c, [userId], "blocks");
  if (channelId) await tellPeople(c, [userId, otherId], "dms");
}

export const blocks = new Hono<AppEnv>()
  .use(requireUser)
  .get("/", async (c) => {
    const blocked = await query(c.env.DATABASE, "blockedBy", { blockerId: c.get("userId") });
    return c.json({
      blocked: blocked.map((entry) => ({ ...entry, createdAt: new Date(entry.createdAt).toISOString() })),
    });
  })
  .put("/:userId", async (c) => {
    const blockedId = parse(uuidSchema, c.req.param("userId"));
    if (blockedId === c.get("userId")) throw new AppError(400, "invalid_request", "you cannot block yourself");
    const target = await query(c.env.DATABASE, "userById", { id: blockedId });
    if (!target || target.deletedAt) throw notFound("that user");
    await query(c.env.DATABASE, "blockUser", { blockerId: c.get("userId"), blockedId });
    await dmAccessChanged(c, blockedId, "dm.blocked");
    return c.body(null, 204);
  })
  .delete("/:userId", async (c) => {
    const blockedId = parse(uuidSchema, c.req.param("userId"));
    if (!(await query(c.env.DATABASE, "unblockUser", { blockerId: c.get("userId"), blockedId })))
      throw notFound("that block");
    await dmAccessChanged(c, blockedId, "dm.unblocked");
    return c.body(null, 204);
  });
