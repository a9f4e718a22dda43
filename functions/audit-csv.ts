/**
 * The instance audit log as CSV (RFC 4180), for an admin to keep or to read in a
 * spreadsheet. Cells that a spreadsheet would run as a formula are prefixed with
 * a quote, so an attacker-chosen user agent cannot become a formula on the admin's machine.
 */
import type { Context } from "hono";
import type { z } from "zod";
import { query } from "../db/index.ts";
import type { adminAuditQuerySchema } from "../protocol/index.ts";
import type { AppEnv } from "./context.ts";

const PAGE = 1_000;
const COLUMNS = ["id", "at", "action", "actor_id", "target_user_id", "ip", "user_agent", "details"];

export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export async function auditCsv(
  c: Context<AppEnv>,
  filter: z.infer<typeof adminAuditQuerySchema>,
  maxRows: number,
): Promise<string> {
  const lines = [COLUMNS.join(",")];
  let beforeId = filter.before ?? null;
  while (lines.length - 1 < maxRows) {
    const events = await query(c.env.DATABASE, "instanceAudit", {
      actorId: filter.actor ?? null,
      action: filter.action ?? null,
      targetUserId: filter.target ?? null,
      from: filter.from ? new Date(filter.from) : null,
      to: filter.to ? new Date(filter.to) : null,
      beforeId,
      limit: Math.min(PAGE, maxRows - (lines.length - 1)),
    });
    for (const event of events) {
      lines.push(
        [
          event.id,
          new Date(event.at).toISOString(),
          event.action,
          event.actorId,
          event.targetUserId,
          event.ip,
          event.userAgent,
          event.details,
        ]
          .map(csvCell)
          .join(","),
      );
    }
    if (events.length === 0 || events.length < PAGE) break;
    beforeId = events.at(-1)!.id;
  }
  return `${lines.join("\r\n")}\r\n`;
}
