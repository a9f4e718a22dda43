/** GET /api/announcements: what the instance admins want every signed-in person to read. */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import type { AppEnv } from "../context.ts";
import { requireUser } from "../middleware.ts";

export const announcementsRoute = new Hono<AppEnv>().get("/", requireUser, async (c) => {
  const active = await query(c.env.DATABASE, "activeAnnouncements", {});
  return c.json({
    announcements: active.map((announcement) => ({
      id: announcement.id,
      body: announcement.body,
      createdAt: new Date(announcement.createdAt).toISOString(),
      expiresAt: announcement.expiresAt ? new Date(announcement.expiresAt).toISOString() : null,
    })),
  });
});
