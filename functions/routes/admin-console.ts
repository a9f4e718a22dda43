/**
 * The admin page's reads and community actions, under /api/admin (instance admins
 * only, like the rest of it): the overview with live figures and warnings, one
 * person in detail, communities with their sizes (transfer, delete), the audit log
 * as CSV, and the short-lived cookie that lets the browser load the admin code.
 */
import { Hono, type Context } from "hono";
import { setCookie } from "hono/cookie";
import { query } from "../../db/index.ts";
import {
  adminAuditQuerySchema,
  AUDIT_EXPORT_MAX_ROWS,
  communitySearchSchema,
  transferSchema,
  uuidSchema,
  type AdminWarningView,
} from "../../protocol/index.ts";
import { audit } from "../audit.ts";
import { auditCsv } from "../audit-csv.ts";
import type { AppEnv } from "../context.ts";
import { AppError, notFound } from "../errors.ts";
import { removeDiscarded } from "../file-removal.ts";
import { instanceSettings } from "../instance-settings.ts";
import { limitBody } from "../middleware.ts";
import { registrationMode } from "../registration-mode.ts";
import { issueSocketTicket } from "../tokens.ts";
import { parse, parseJson } from "../validation.ts";
import { deviceSessionView, userView } from "../views.ts";
import { healthOf } from "./health.ts";
import { buildInfo } from "../build-info.ts";
import { updateCheck, type UpdateCheckEnv } from "../update-check.ts";
import { publishAccessChange } from "../access-changes.ts";

/** The cookie that admits the browser to /admin-assets; scoped to that path, a minute long. */
export const ADMIN_CONSOLE_COOKIE = "chatalot_admin_console";
export const ADMIN_CONSOLE_SCOPE = "admin-console";
const REFRESH_TOKEN_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/** Rooms asked for their sockets at once; the rest wait their turn. */
const LIVE_FAN_OUT = 50;
const LIVE_ROOMS_MAX = 20_000;
/** Past this the overview suggests checking disk space and backups. */
const DATABASE_LARGE_BYTES = 50 * 1024 ** 3;

async function liveFigures(c: Context<AppEnv>) {
  const channelIds = await query(c.env.DATABASE, "allChannelIds", { limit: LIVE_ROOMS_MAX });
  let sockets = 0;
  let activeRooms = 0;
  for (let index = 0; index < channelIds.length; index += LIVE_FAN_OUT) {
    const counts = await Promise.allSettled(
      channelIds
        .slice(index, index + LIVE_FAN_OUT)
        .map((channelId) => c.env.CHANNEL_ROOM.getByName(channelId).liveSockets()),
    );
    for (const count of counts) {
      if (count.status === "fulfilled" && count.value > 0) {
        sockets += count.value;
        activeRooms++;
      }
    }
  }
  return { sockets, activeRooms };
}

export const adminConsole = new Hono<AppEnv>()
  .get("/overview", async (c) => {
    const [health, stats, staffing, databaseBytes, storedBytes, live, settings, update] = await Promise.all([
      healthOf(c),
      query(c.env.DATABASE, "instanceStatistics", {}),
      query(c.env.DATABASE, "adminStaffing", {}),
      query(c.env.DATABASE, "databaseSize", {}),
      query(c.env.DATABASE, "storageTotal", {}),
      liveFigures(c),
      instanceSettings(c),
      updateCheck(c.env as UpdateCheckEnv, c.get("config").UPDATE_CHECK_URL),
    ]);
    const warnings: AdminWarningView[] = [];
    if (staffing.withTwoFactor === 0) {
      warnings.push({
        code: "no_admin_with_two_factor",
        message: "no active admin has two-factor authentication on: turn it on in Security settings",
      });
    }
    if (!health.db_healthy) {
      warnings.push({ code: "database_degraded", message: "the database is unreachable: check PostgreSQL" });
    }
    if (databaseBytes > DATABASE_LARGE_BYTES) {
      warnings.push({
        code: "database_large",
        message: "the database is over 50 GB: check the free disk space and that backups still fit",
      });
    }
    if (update.status === "newer") {
      warnings.push({
        code: "update_available",
        message: `Chatalot ${update.latestVersion} is out (this server runs ${buildInfo.version}): README.md, Updating, says how`,
      });
    }
    return c.json({
      health,
      counts: { ...stats, databaseBytes },
      live,
      registrationMode: await registrationMode(c),
      settings,
      // Files and pictures, and the limits they are held to (docs/files.md, "Limits and settings").
      storage: {
        usedBytes: storedBytes,
        fileMaxBytes: settings.uploadMaxBytes,
        quotaBytes: c.get("config").UPLOAD_QUOTA_BYTES,
      },
      admins: staffing,
      warnings,
      // What runs (the commit only here, not on the public /health), and what the release feed says.
      release: { ...buildInfo, update },
    });
  })
  .get("/users/:userId", async (c) => {
    const id = parse(uuidSchema, c.req.param("userId"));
    const user = await query(c.env.DATABASE, "userById", { id });
    if (!user || user.deletedAt) throw notFound("that user");
    const [sessions, communities, storage] = await Promise.all([
      query(c.env.DATABASE, "sessionsForUser", { userId: id, activeWithinSeconds: REFRESH_TOKEN_MAX_AGE_SECONDS }),
      query(c.env.DATABASE, "communitiesOfMember", { userId: id }),
      query(c.env.DATABASE, "storageOfUsers", { userIds: [id] }),
    ]);
    const lastSeen = sessions.reduce<Date | null>(
      (latest, session) => (!latest || session.lastSeenAt > latest ? new Date(session.lastSeenAt) : latest),
      null,
    );
    return c.json({
      user: {
        ...userView(user),
        createdAt: new Date(user.createdAt).toISOString(),
        lastSeenAt: lastSeen ? new Date(lastSeen).toISOString() : null,
        suspendedAt: user.suspendedAt ? new Date(user.suspendedAt).toISOString() : null,
        suspensionReason: user.suspensionReason,
        storageBytes: storage[id] ?? 0,
      },
      sessions: sessions.map((session) => deviceSessionView(session, "")),
      communities: communities.map((community) => ({
        id: community.id,
        name: community.name,
        isOwner: community.ownerId === id,
      })),
    });
  })
  .get("/communities", async (c) => {
    const { search, after, limit } = parse(communitySearchSchema, c.req.query());
    const found = await query(c.env.DATABASE, "communitiesForAdmin", {
      search: search || null,
      after: after ?? null,
      limit,
    });
    const last = found.at(-1);
    return c.json({
      communities: found.map((community) => ({ ...community, createdAt: new Date(community.createdAt).toISOString() })),
      next: found.length === limit && last ? `${last.name.toLowerCase()}${last.id}` : null,
    });
  })
  .post("/communities/:communityId/transfer", limitBody, async (c) => {
    const communityId = parse(uuidSchema, c.req.param("communityId"));
    const { userId } = await parseJson(c, transferSchema);
    const previous = await query(c.env.DATABASE, "communityById", { communityId });
    if (!previous || !(await query(c.env.DATABASE, "transferOwnership", { communityId, newOwnerId: userId }))) {
      throw new AppError(404, "not_found", "that community does not exist, or the new owner is not a member");
    }
    await audit(c, "community.transferred_by_admin", { targetUserId: userId, details: { communityId } });
    // The new owner holds every permission now, the previous one only their roles'.
    for (const changed of new Set([userId, previous.ownerId])) {
      await publishAccessChange(c, { kind: "member.roles_changed", communityId, userId: changed });
    }
    return c.body(null, 204);
  })
  .delete("/communities/:communityId", async (c) => {
    const communityId = parse(uuidSchema, c.req.param("communityId"));
    const channelIds = await query(c.env.DATABASE, "channelIdsOfCommunity", { communityId });
    const community = await query(c.env.DATABASE, "communityById", { communityId });
    if (!community) throw notFound("that community");
    const deleted = await query(c.env.DATABASE, "deleteCommunity", { communityId });
    await removeDiscarded(c.env, { uploads: deleted.discarded, pictureIds: deleted.pictureIds });
    await audit(c, "community.deleted_by_admin", {
      targetUserId: community.ownerId,
      details: { communityId, name: community.name },
    });
    await publishAccessChange(c, { kind: "community.deleted", communityId, userId: null, channelIds });
    return c.body(null, 204);
  })
  .get("/audit.csv", async (c) => {
    const filter = parse(adminAuditQuerySchema, c.req.query());
    const csv = await auditCsv(c, filter, AUDIT_EXPORT_MAX_ROWS);
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", 'attachment; filename="chatalot-audit.csv"');
    c.header("Cache-Control", "no-store");
    return c.body(csv);
  })
  /** Admits this browser to /admin-assets for a minute: long enough to load the admin code. */
  .post("/console", async (c) => {
    const subject = { userId: c.get("userId"), sessionId: c.get("sessionId") };
    const { ticket } = await issueSocketTicket(c.get("config"), subject, ADMIN_CONSOLE_SCOPE);
    setCookie(c, ADMIN_CONSOLE_COOKIE, ticket, {
      path: "/admin-assets",
      httpOnly: true,
      sameSite: "Strict",
      secure: c.get("config").PUBLIC_URL.startsWith("https:"),
      maxAge: 60,
    });
    return c.body(null, 204);
  });
