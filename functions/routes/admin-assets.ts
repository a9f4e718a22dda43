/**
 * /admin-assets/*: the admin page's code, served only to an instance admin whose
 * browser holds the minute-long cookie from POST /api/admin/console. Everyone else
 * gets 403 and never receives a byte of it (the app's public assets are elsewhere).
 */
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { query } from "../../db/index.ts";
import type { AppEnv } from "../context.ts";
import { verifySocketTicket } from "../tokens.ts";
import { ADMIN_CONSOLE_COOKIE, ADMIN_CONSOLE_SCOPE } from "./admin-console.ts";
import { errorFields } from "../errors.ts";

const CONTENT_TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  map: "application/json",
};

export const adminAssets = new Hono<AppEnv>().get("/*", async (c) => {
  const refuse = () => c.json({ error: errorFields(c, "forbidden", "the admin page is for instance admins") }, 403);
  const cookie = getCookie(c, ADMIN_CONSOLE_COOKIE);
  const subject = cookie ? await verifySocketTicket(c.get("config"), cookie, ADMIN_CONSOLE_SCOPE) : null;
  const live = subject ? await query(c.env.DATABASE, "activeSession", subject) : null;
  if (!live?.user.isAdmin) return refuse();
  const url = new URL(c.req.url);
  const extension = url.pathname.split(".").pop() ?? "";
  const type = CONTENT_TYPES[extension];
  if (!type || url.pathname.includes("..")) return c.json({ error: errorFields(c, "not_found", "no such file") }, 404);
  const response = await c.env.ASSETS.fetch(new Request(url, { method: "GET" }));
  if (!response.ok) return c.json({ error: errorFields(c, "not_found", "no such file") }, 404);
  return new Response(response.body, {
    headers: { "Content-Type": type, "Cache-Control": "private, no-store" },
  });
});
