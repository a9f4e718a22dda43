/**
 * A member's actions, behind a "…" button (and right click on the row that mounts it):
 * Profile, Message, Time out, Remove time-out, Kick and Ban, only those the viewer may
 * take on that person. Mounted by the member list and the profile card.
 */
import type { Community } from "../../models/community.ts";
import type { Router } from "../../models/router.ts";
import type { Session } from "../../models/session.ts";

export interface MemberMenuProps {
  session: Session;
  router: Router;
  community: Community;
  userId: string;
  /** The name the row shows: the menu's label says whose actions these are. */
  name: string;
}

export function MemberMenu(_props: MemberMenuProps) {
  return null;
}
