/**
 * Telling people's open clients that their conversations or blocks changed: each
 * person's account sockets get a `changed` frame and read the list again. Best
 * effort: the change is committed, and a client that misses the news reads it at
 * its next load (focus, reconnect).
 */
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import { errorText, log } from "../../db/index.ts";

export async function tellPeople(
  c: Context<AppEnv>,
  userIds: Iterable<string>,
  scope: "dms" | "blocks",
): Promise<void> {
  const results = await Promise.allSettled(
    [...new Set(userIds)].map((userId) => c.env.USER_SOCKETS.getByName(userId).push({ type: "changed", scope })),
  );
  for (const result of results) {
    if (result.status === "rejected") log.warn("account_not_told", { scope, error: errorText(result.reason) });
  }
}
