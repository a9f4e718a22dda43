/** Queries about how people present themselves: the custom status. */
import { eq } from "drizzle-orm";
import type { Db } from "../db.ts";
import { users } from "../schema.ts";
import type { UserRecord } from "./users.ts";

/** Sets (or, with text null, clears) the person's custom status; answers the updated account. */
export async function setCustomStatus(
  db: Db,
  input: { userId: string; text: string | null; emoji: string | null; expiresAt: Date | null },
): Promise<UserRecord> {
  const status = input.text
    ? { statusText: input.text, statusEmoji: input.emoji, statusExpiresAt: input.expiresAt }
    : { statusText: null, statusEmoji: null, statusExpiresAt: null };
  const [user] = await db.update(users).set(status).where(eq(users.id, input.userId)).returning();
  return user!;
}
