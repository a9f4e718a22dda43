/** GET /api/me: the signed-in user. */
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { requireUser } from "../middleware.ts";
import { userView } from "../views.ts";

export const me = new Hono<AppEnv>().get("/", requireUser, (c) => c.json({ user: userView(c.get("user")) }));
