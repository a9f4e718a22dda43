/**
 * What the workspace shows of notifications wherever the person is: the bar asking,
 * once, to turn on desktop notifications (after the first DM or mention that arrived
 * while the tab was hidden; only its button asks the browser), and the open place's
 * name for the tab's title. It also keeps the names of the person's conversations and
 * the open community's channels where the service worker can name a push's place.
 */
import { useEffect } from "preact/hooks";
import type { Community } from "../../models/community.ts";
import { conversationName, type DirectMessages } from "../../models/direct-messages.ts";
import type { Notifications } from "../../models/notifications/notifications.ts";
import { rememberPlaceLabel } from "../../models/notifications/place-labels.ts";
import type { Router } from "../../models/router.ts";
import "./notifications.css";

interface NotificationsLayerProps {
  notifications: Notifications;
  router: Router;
  community: Community | null;
  conversations: DirectMessages;
  ownUserId: string;
}

export function NotificationsLayer({
  notifications,
  router,
  community,
  conversations,
  ownUserId,
}: NotificationsLayerProps) {
  const route = router.route.value;
  const communityName = community?.community.value?.name ?? null;
  const channels = community?.channels.value ?? [];
  const dms = conversations.conversations.value;
  let place: string | null = null;
  if (route.name === "channel") {
    const channel = channels.find((candidate) => candidate.id === route.channelId);
    place = channel ? `#${channel.name}${communityName ? ` | ${communityName}` : ""}` : null;
  } else if (route.name === "dm") {
    const dm = dms.find((candidate) => candidate.id === route.channelId);
    place = dm ? conversationName(dm, ownUserId) : null;
  }
  useEffect(() => {
    notifications.placeName.value = place;
  }, [notifications, place]);

  useEffect(() => {
    for (const dm of dms) void rememberPlaceLabel(dm.id, conversationName(dm, ownUserId));
  }, [dms, ownUserId]);
  useEffect(() => {
    for (const channel of channels)
      void rememberPlaceLabel(channel.id, communityName ? `#${channel.name}, ${communityName}` : `#${channel.name}`);
  }, [channels, communityName]);

  return <NotificationPrompt notifications={notifications} />;
}

function NotificationPrompt({ notifications }: { notifications: Notifications }) {
  const { desktop } = notifications;
  if (!desktop.isPromptShown.value) return null;
  return (
    <section class="notification-prompt" aria-labelledby="notification-prompt-heading">
      <h2 id="notification-prompt-heading" class="notification-prompt-heading">
        Turn on desktop notifications?
      </h2>
      <p class="notification-prompt-body">
        You had a message while this tab was in the background. Chatalot can tell you of direct messages and mentions
        even then.
      </p>
      <button type="button" class="notification-prompt-yes" onClick={() => void desktop.ask()}>
        Turn on
      </button>
      <button type="button" class="notification-prompt-no" onClick={() => desktop.dismissPrompt()}>
        Not now
      </button>
    </section>
  );
}
