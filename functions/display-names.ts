/**
 * Display names that cannot pass for someone else. People see a display name in
 * place of the username, so one that reads as another account's username, or as
 * `admin`, once look-alike letters are folded (Cyrillic "а" for Latin "a",
 * full-width forms), would let its owner impersonate them. Look-alikes are folded by
 * the `confusables` library after NFKC, the way UTS #39's skeletons compare names.
 */
import { remove as foldConfusables } from "confusables";
import { query } from "../db/index.ts";
import type { Config } from "./config.ts";
import { AppError } from "./errors.ts";
import { isReservedUsername } from "./password-policy.ts";

/** What a name looks like, for comparison: look-alikes folded, case ignored. */
export function nameSkeleton(name: string): string {
  return foldConfusables(name.normalize("NFKC")).toLowerCase().trim();
}

/** Refuses a display name that reads as another account's username, a reserved name or the admin's. */
export async function refuseImpersonatingName(
  database: Env["DATABASE"],
  config: Config,
  person: { id: string; username: string },
  displayName: string,
): Promise<void> {
  const skeleton = nameSkeleton(displayName);
  if (skeleton === person.username.toLowerCase()) return;
  const isStaffName = isReservedUsername(skeleton, "") || skeleton === config.ADMIN_USERNAME.toLowerCase();
  const other = isStaffName ? null : await query(database, "userByUsername", { username: skeleton });
  if (isStaffName || (other && other.id !== person.id)) {
    throw new AppError(
      400,
      "name_impersonates",
      `the display name "${displayName}" reads as the username of another account; choose one that does not`,
    );
  }
}
