/**
 * The profile card (components open it through models/profile-card.ts): display name,
 * username, pronouns, bio, roles here, joined date, presence, and Message, Call,
 * Block and the moderation actions the viewer may take. (Stub: issue #24 fills it.)
 */
import type { AccountEvents } from "../../models/account-events.ts";
import type { Communities } from "../../models/communities.ts";
import type { Community } from "../../models/community.ts";
import type { DirectMessages } from "../../models/direct-messages.ts";
import type { Router } from "../../models/router.ts";
import type { Session } from "../../models/session.ts";

export interface ProfileCardLayerProps {
  session: Session;
  router: Router;
  communities: Communities;
  /** The open community's model, when the card was opened inside it. */
  community: Community | null;
  conversations: DirectMessages;
  events: AccountEvents;
}

export function ProfileCardLayer(_props: ProfileCardLayerProps) {
  return null;
}
