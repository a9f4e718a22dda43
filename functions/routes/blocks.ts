/** /api/blocks: the people the signed-in user has blocked; block and unblock. */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import { uuidSchema } from "../../protocol/index.ts";
import type { AppEnv } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import { requireUser } from "../middleware.ts";
import { parse } from "../validation.ts";

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
    return c.body(null, 204);
  })
  .delete("/:userId", async (c) => {
    const blockedId = parse(uuidSchema, c.req.param("userId"));
    if (!(await query(c.env.DATABASE, "unblockUser", { blockerId: c.get("userId"), blockedId })))
      throw notFound("that block");
    return c.body(null, 204);
  });
