/**
 * A member's roles in a community, with adding and removing those the viewer may
 * manage: shown in the profile card and the members section. (Stub: issue #24 fills it.)
 */
import type { Community } from "../../models/community.ts";
import type { Session } from "../../models/session.ts";

export interface MemberRolesEditorProps {
  session: Session;
  community: Community;
  userId: string;
}

export function MemberRolesEditor(_props: MemberRolesEditorProps) {
  return null;
}
