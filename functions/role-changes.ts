/**
 * Telling a community's open clients that its roles changed (names, colours, order,
 * hoisting, permissions) or who holds them, so names are recoloured and the member list
 * regrouped without a reload. Best effort, like people-changes.ts: the change is
 * committed already, and a client that misses the news sees it at its next load.
 */
import type { Context } from "hono";
import type { AppEnv } from "./context.ts";
import { errorText, log } from "../db/index.ts";

/** `members` too when someone was given or lost a role: their place in the member list moved. */
export async function tellRolesChanged(
  c: Context<AppEnv>,
  communityId: string,
  options: { isAssignment: boolean } = { isAssignment: false },
): Promise<void> {
  const hub = c.env.COMMUNITY_HUB.getByName(communityId);
  try {
    await hub.changed({ type: "changed", scope: "roles", communityId });
    if (options.isAssignment) await hub.changed({ type: "changed", scope: "members", communityId });
  } catch (error) {
    log.warn("clients_not_told", { what: "roles", error: errorText(error) });
  }
}
