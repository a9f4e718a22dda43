/**
 * What sits above every signed-in page, settings included: the announcements, the
 * ringing bar of a DM call, and the notifications' layer (the permission bar, the tab's
 * title and badge).
 */
import type { IncomingCalls } from "../../models/calls/incoming-calls.ts";
import type { Community } from "../../models/community.ts";
import type { DirectMessages } from "../../models/direct-messages.ts";
import type { Notifications } from "../../models/notifications/notifications.ts";
import type { Router } from "../../models/router.ts";
import type { Session } from "../../models/session.ts";
import { AnnouncementsBanner } from "../announcements-banner.tsx";
import { IncomingCallBar } from "../calls/incoming-call-bar.tsx";
import { NotificationsLayer } from "../notifications/notifications-layer.tsx";

interface WorkspaceTopProps {
  session: Session;
  router: Router;
  incomingCalls: IncomingCalls;
  notifications: Notifications;
  conversations: DirectMessages;
  community: Community | null;
}

export function WorkspaceTop({ session, incomingCalls, ...layer }: WorkspaceTopProps) {
  return (
    <div class="workspace-top">
      <AnnouncementsBanner session={session} />
      <IncomingCallBar incoming={incomingCalls} />
      <NotificationsLayer {...layer} ownUserId={session.user.value?.id ?? ""} />
    </div>
  );
}
