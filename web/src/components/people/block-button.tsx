/**
 * Block or unblock a person, with a confirmation saying what blocking does.
 * Used by the profile card and the blocked-people list. (Stub: issue #24 fills it.)
 */
import type { Session } from "../../models/session.ts";

export interface BlockButtonProps {
  session: Session;
  userId: string;
  name: string;
}

export function BlockButton(_props: BlockButtonProps) {
  return null;
}
