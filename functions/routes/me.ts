/** GET /api/me: the signed-in user. */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import type { AppEnv } from "../context.ts";
import { unauthorized } from "../errors.ts";
import { requireUser } from "../middleware.ts";
import { userView } from "../views.ts";

export const me = new Hono<AppEnv>().get("/", requireUser, async (c) => {
  const user = await query(c.env.DATABASE, "userById", { id: c.get("userId") });
  if (!user) throw unauthorized("this account no longer exists");
  return c.json({ user: userView(user) });
});
