/** /api/sessions: the signed-in user's devices; revoke one, or every other one. */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import { uuidSchema } from "../../protocol/index.ts";
import { disconnectSockets } from "../../rooms/index.ts";
import { audit } from "../audit.ts";
import type { AppEnv } from "../context.ts";
import { notFound } from "../errors.ts";
import { requireUser } from "../middleware.ts";
import { REFRESH_TOKEN_TTL_SECONDS } from "../refresh-cookie.ts";
import { deviceSessionView } from "../views.ts";

export const sessions = new Hono<AppEnv>()
  .use(requireUser)
  .get("/", async (c) => {
    const all = await query(c.env.DATABASE, "sessionsForUser", {
      userId: c.get("userId"),
      activeWithinSeconds: REFRESH_TOKEN_TTL_SECONDS,
    });
    return c.json({ sessions: all.map((session) => deviceSessionView(session, c.get("sessionId"))) });
  })
  .delete("/:sessionId", async (c) => {
    const sessionId = uuidSchema.safeParse(c.req.param("sessionId"));
    const userId = c.get("userId");
    const revoked =
      sessionId.success &&
      (await query(c.env.DATABASE, "revokeSession", { userId, sessionId: sessionId.data, reason: "revoked_by_user" }));
    if (!revoked) throw notFound("that session");
    await disconnectSockets(c.env, { userId, sessionIds: [sessionId.data!], reason: "session revoked" });
    await audit(c, "session.revoked", { details: { sessionId: sessionId.data } });
    return c.body(null, 204);
  })
  .post("/revoke-others", async (c) => {
    const userId = c.get("userId");
    const revoked = await query(c.env.DATABASE, "revokeSessions", {
      userId,
      keepSessionId: c.get("sessionId"),
      reason: "revoked_by_user",
    });
    await disconnectSockets(c.env, { userId, sessionIds: revoked, reason: "session revoked" });
    if (revoked.length) await audit(c, "session.revoked", { details: { sessionIds: revoked } });
    return c.json({ revoked: revoked.length });
  });
