/**
 * A community's own settings changed (its name, description or icon): what the audit
 * log says of it, and telling open clients so their sidebars and pages read it again.
 */
import type { Context } from "hono";
import type { CommunityRecord } from "../db/index.ts";
import type { AppEnv } from "./context.ts";
import { errorText, log } from "../db/index.ts";

/** What an edit changed, for the audit log: names in full, the rest only that they changed. */
export function communityChanges(before: CommunityRecord, after: CommunityRecord): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  if (before.name !== after.name) Object.assign(details, { previousName: before.name, name: after.name });
  if (before.description !== after.description) details.description = true;
  if (before.icon !== after.icon) details.icon = true;
  return details;
}

/**
 * Every member's client reads the community again. Best effort: the change is committed,
 * and a client that missed the news reads it when its socket reconnects or its tab regains focus.
 */
export async function tellCommunityChanged(c: Context<AppEnv>, communityId: string): Promise<void> {
  try {
    await c.env.COMMUNITY_HUB.getByName(communityId).changed({ type: "changed", scope: "communities", communityId });
  } catch (error) {
    log.warn("clients_not_told", { what: "community settings", communityId, error: errorText(error) });
  }
}
