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

/**
 * Latin letters and digits that read as others in most fonts. `confusables` folds other
 * scripts to Latin but leaves ASCII as it is, so "aIice" (capital i) passed for "alice".
 */
const ASCII_LOOK_ALIKES: [RegExp, string][] = [
  [/rn/g, "m"],
  [/vv/g, "w"],
  [/[I1|]/g, "l"],
  [/0/g, "o"],
];

/** What a name looks like, for comparison: look-alikes folded, joiners dropped, case ignored. */
export function nameSkeleton(name: string): string {
  let folded = foldConfusables(name.normalize("NFKC")).replace(/[\u200C\u200D]/g, "");
  for (const [pattern, letter] of ASCII_LOOK_ALIKES) folded = folded.replace(pattern, letter);
  return folded.toLowerCase().trim();
}

/** Refuses a display name that reads as another account's username, a reserved name or the admin's. */
export async function refuseImpersonatingName(
  database: Env["DATABASE"],
  config: Config,
  person: { id: string; username: string },
  displayName: string,
): Promise<void> {
  const skeleton = nameSkeleton(displayName);
  // Other scripts folded to Latin, case ignored, but ASCII kept: "ALICE" is alice's name.
  const plain = foldConfusables(displayName.normalize("NFKC")).toLowerCase().trim();
  const own = person.username.toLowerCase();
  if (plain === own || skeleton === nameSkeleton(person.username)) return;
  const isStaffName = [skeleton, plain].some(
    (name) => isReservedUsername(name, "") || name === config.ADMIN_USERNAME.toLowerCase(),
  );
  const other = isStaffName
    ? null
    : await query(database, "userWithNameSkeleton", { skeleton, plain, exceptId: person.id });
  if (isStaffName || other) {
    throw new AppError(
      400,
      "name_impersonates",
      `the display name "${displayName}" reads as the username of another account; choose one that does not`,
    );
  }
}
