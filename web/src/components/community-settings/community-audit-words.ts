/**
 * A community's audit log entries as sentences, the actor's name then the deed ("carol" +
 * "timed out mallory for 1 hour: spamming"), and the actions' names for the log's filter. An action this list does not
 * know yet still reads, from its own name.
 */
import type { AuditPersonView, CommunityAuditEventView } from "../../../../protocol/index.ts";
import { dateTimeInWords } from "../time-words.ts";

/** The filter's names for each action, in the order Discord's log lists its kinds. */
export const AUDIT_ACTION_NAMES: Record<string, string> = {
  "community.updated": "Update community",
  "community.transferred": "Transfer ownership",
  "invite.created": "Create invite",
  "invite.revoked": "Revoke invite",
  "channel.created": "Create channel",
  "channel.changed": "Update channel",
  "channel.deleted": "Delete channel",
  "category.created": "Create category",
  "category.changed": "Update category",
  "category.deleted": "Delete category",
  "role.created": "Create role",
  "role.changed": "Update role",
  "role.deleted": "Delete role",
  "member.roles_changed": "Update member roles",
  "member.left": "Leave community",
  "member.kicked": "Kick member",
  "member.banned": "Ban member",
  "member.unbanned": "Unban member",
  "member.timed_out": "Time out member",
  "member.timeout_lifted": "Remove time-out",
};

export const auditActionName = (action: string) => AUDIT_ACTION_NAMES[action] ?? action.replace(/[._]/g, " ");

const personName = (person: AuditPersonView | null, fallback = "someone") =>
  person ? person.displayName || person.username : fallback;

const MINUTE_MS = 60_000;
const UNITS: [minutes: number, singular: string][] = [
  [7 * 24 * 60, "week"],
  [24 * 60, "day"],
  [60, "hour"],
  [1, "minute"],
];

/** A length of time in its largest whole unit: "1 hour", "10 minutes", "1 week". */
export function durationInWords(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / MINUTE_MS));
  const [size, unit] = UNITS.find(([size]) => minutes % size === 0) ?? [1, "minute"];
  const count = minutes / size;
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

const text = (value: unknown): string | null => (typeof value === "string" && value ? value : null);
const channelName = (details: Record<string, unknown>) => (text(details.name) ? `#${text(details.name)}` : "a channel");

function inviteInWords(details: Record<string, unknown>): string {
  const maxUses = typeof details.maxUses === "number" ? details.maxUses : null;
  const expiresAt = text(details.expiresAt);
  const uses = maxUses ? `for ${maxUses} ${maxUses === 1 ? "use" : "uses"}` : "with no limit of uses";
  return `an invite ${uses}, ${expiresAt ? `expiring ${dateTimeInWords(expiresAt)}` : "never expiring"}`;
}

function communityUpdateInWords(details: Record<string, unknown>): string {
  const parts: string[] = [];
  if (text(details.name))
    parts.push(`renamed the community from ${text(details.previousName)} to ${text(details.name)}`);
  if (details.description) parts.push("changed its description");
  if (details.icon) parts.push("changed its icon");
  return parts.length ? parts.join(" and ") : "changed the community's settings";
}

/** What the actor did, after their name. */
function deedInWords(event: CommunityAuditEventView): string {
  const details = event.details ?? {};
  const target = personName(event.target, "a person who no longer has an account");
  switch (event.action) {
    case "community.updated":
      return communityUpdateInWords(details);
    case "community.transferred":
      return `made ${target} the owner of the community`;
    case "invite.created":
      return `created ${inviteInWords(details)}`;
    case "invite.revoked":
      return "revoked an invite";
    case "channel.created":
      return `created ${channelName(details)}`;
    case "channel.changed":
      return text(details.name) ? `changed ${channelName(details)}` : "changed a channel's settings";
    case "channel.deleted":
      return `deleted ${channelName(details)}`;
    case "category.created":
      return `created the category ${text(details.name) ?? ""}`.trim();
    case "category.changed":
      return "changed a category";
    case "category.deleted":
      return "deleted a category";
    case "member.left":
      return "left the community";
    case "member.kicked":
      return `kicked ${target}`;
    case "member.banned":
      return `banned ${target}`;
    case "member.unbanned":
      return `lifted ${target}'s ban`;
    case "member.timed_out": {
      const until = text(details.until);
      const length = until ? ` for ${durationInWords(Date.parse(until) - Date.parse(event.at))}` : "";
      return `timed out ${target}${length}`;
    }
    case "member.timeout_lifted":
      return `removed ${target}'s time-out`;
    default:
      return `${auditActionName(event.action).toLowerCase()}${event.target ? ` (${target})` : ""}`;
  }
}

/** Who acted, as the entry names them. */
export const auditActorName = (event: CommunityAuditEventView) => personName(event.actor);

/** What they did, after their name, with the reason given, if any. */
export function auditDeedInWords(event: CommunityAuditEventView): string {
  const deed = deedInWords(event);
  return event.reason ? `${deed}: ${event.reason}` : deed;
}
