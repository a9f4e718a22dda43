/**
 * Notifications in the page, for as long as someone is signed in: the tab's title and
 * favicon, the desktop notification (and sound) for a message that concerns the
 * person while they are not looking at its channel, the one-time prompt for the
 * browser's permission, this browser's Web Push subscription, and the account
 * socket's `active` frame that tells the server not to push to someone using the
 * page. What notifies follows the settings every device shares
 * (notification-settings.ts) and the rules of notification-reason.ts.
 */
import { computed, createModel, effect, signal } from "@preact/signals";
import type { ChannelView, EventsServerFrame } from "../../../../protocol/index.ts";
import type { AccountEvents } from "../account-events.ts";
import { conversationName } from "../direct-messages.ts";
import type { Encryption } from "../encryption/encryption.ts";
import { channelPath, dmPath, type Router } from "../router.ts";
import type { Session } from "../session.ts";
import type { Unread } from "../unread.ts";
import { createActivitySignal } from "./activity-signal.ts";
import { createDesktopNotifications } from "./desktop-notifications.ts";
import { messageForNotification } from "./message-for-notification.ts";
import { notificationJumps } from "./notification-jumps.ts";
import { notificationReason } from "./notification-reason.ts";
import type { NotificationSettings } from "./notification-settings.ts";
import { playNotificationSound } from "./notification-sound.ts";
import { forgetPlaceLabels, rememberPlaceLabel } from "./place-labels.ts";
import { createPushSubscription } from "./push-subscription.ts";
import { createLooking, createTabBadge, waitingCount } from "./tab-badge.ts";

type Activity = Extract<EventsServerFrame, { type: "activity" }>;

export interface NotificationsDependencies {
  session: Session;
  events: AccountEvents;
  settings: NotificationSettings;
  unread: Unread;
  router: Router;
  encryption: Encryption;
  /** A community's name, when the page knows it. */
  communityName(communityId: string): string | null;
}

function createNotifications(deps: NotificationsDependencies) {
  const { session, events, settings, unread, router, encryption } = deps;
  const ownUserId = session.user.peek()?.id ?? "";
  const desktop = createDesktopNotifications();
  const push = createPushSubscription(session);
  const looking = createLooking();
  /** The open channel's or conversation's name for the title (set by the workspace's layer). */
  const placeName = signal<string | null>(null);
  const openChannelId = computed(() => {
    const route = router.route.value;
    return route.name === "channel" || route.name === "dm" ? route.channelId : null;
  });
  const waiting = computed(() => waitingCount(unread.views.value, looking.value ? openChannelId.value : null));
  const tab = createTabBadge(waiting, placeName);
  const channels = new Map<string, Promise<ChannelView | null>>();

  const channelOf = (channelId: string) => {
    let known = channels.get(channelId);
    if (!known) {
      known = session
        .request<{ channel: ChannelView }>(`/api/channels/${encodeURIComponent(channelId)}`)
        .then((answer) => answer.channel)
        .catch(() => {
          channels.delete(channelId);
          return null;
        });
      channels.set(channelId, known);
    }
    return known;
  };

  /** A mention of one of the person's roles only the server can tell: its mention count went up. */
  async function isRoleMention(channelId: string): Promise<boolean> {
    const mentionsIn = () => unread.views.peek().find((view) => view.channelId === channelId)?.mentions ?? 0;
    const before = mentionsIn();
    await unread.load();
    return mentionsIn() > before;
  }

  async function isMention(activity: Activity): Promise<boolean> {
    const { mentions } = activity;
    if (mentions.everyone || mentions.here || mentions.userIds.includes(ownUserId)) return true;
    return mentions.roleIds.length > 0 && activity.communityId !== null && isRoleMention(activity.channelId);
  }

  async function consider(activity: Activity): Promise<void> {
    if (activity.senderIds.every((senderId) => senderId === ownUserId)) return;
    if (looking.peek() && openChannelId.peek() === activity.channelId) return;
    const place = { channelId: activity.channelId, communityId: activity.communityId };
    const preferences = settings.preferences.peek();
    const reason = notificationReason({
      isDirect: activity.communityId === null,
      isMention: await isMention(activity),
      isMuted: settings.isMuted(place),
      level: settings.levelOf(place),
      directMessages: preferences.directMessages,
      status: events.status.peek(),
      dndAllows: preferences.dndAllows,
    });
    if (reason === null) return;
    if (document.visibilityState === "hidden" && reason !== "message") desktop.offerPrompt();
    if (preferences.sound) playNotificationSound();
    if (desktop.isOn.peek()) await notify(activity);
  }

  async function notify(activity: Activity): Promise<void> {
    const { channelId, communityId, lastSeq: seq } = activity;
    const [channel, message] = await Promise.all([
      channelOf(channelId),
      messageForNotification(session, encryption, channelId, seq).catch(() => null),
    ]);
    const placeLabel = labelOf(channel, communityId);
    if (placeLabel) void rememberPlaceLabel(channelId, placeLabel);
    const isHidden = settings.preferences.peek().hideContent;
    const sender = message?.senderName;
    const isOneToOne = channel?.kind === "dm";
    const title =
      message?.text && !isHidden && sender
        ? isOneToOne || !placeLabel
          ? sender
          : `${sender} (${placeLabel})`
        : (placeLabel ?? "Chatalot");
    const body = message?.text && !isHidden ? message.text : sender ? `New message from ${sender}` : "New message";
    await desktop.show({
      title,
      body,
      tag: channelId,
      data: { path: communityId ? channelPath(communityId, channelId) : dmPath(channelId), channelId, seq },
    });
  }

  function labelOf(channel: ChannelView | null, communityId: string | null): string | null {
    if (!channel) return null;
    if (channel.communityId === null) return conversationName(channel, ownUserId);
    const community = communityId ? deps.communityName(communityId) : null;
    return community ? `#${channel.name}, ${community}` : `#${channel.name}`;
  }

  effect(() =>
    events.listen((news) => {
      if (news.type === "activity") void consider(news).catch(() => undefined);
    }),
  );
  // Back in the tab: the browser's permission may have been changed in its own settings meanwhile.
  effect(() => {
    if (looking.value) desktop.recheck();
  });
  // Pushes follow desktop notifications: on while they are on here.
  effect(() => {
    if (desktop.isOn.value) void push.subscribe();
    else if (desktop.permission.value !== "unsupported") void push.unsubscribe(true);
  });
  createActivitySignal(events);
  notificationJumps.listen(router);
  effect(() => () => {
    // The workspace ends with the session: this browser's pushes and the names it kept go with it.
    if (session.user.peek() === null) {
      void push.unsubscribe(false);
      void forgetPlaceLabels();
    }
  });

  const model = {
    desktop,
    push,
    settings,
    /** A community's or channel's name for the list of mutes ("#general, Zebra Club", "alice"). */
    async nameOf(kind: "community" | "channel", id: string): Promise<string> {
      if (kind === "community") {
        const known = deps.communityName(id);
        if (known) return known;
        // The list may not be loaded yet (the settings opened first): ask for this one.
        return session
          .request<{ community: { name: string } }>(`/api/communities/${encodeURIComponent(id)}`)
          .then((answer) => answer.community.name)
          .catch(() => "A community you left");
      }
      const channel = await channelOf(id);
      return labelOf(channel, channel?.communityId ?? null) ?? "A channel you cannot see";
    },
    /** The community a channel belongs to (null: a conversation, or not known here). */
    communityOf: (channelId: string) => unread.communityOf(channelId),
    placeName,
    title: tab.title,
    /** A notification shown on request, to see what they look like here. */
    async showTest(): Promise<boolean> {
      return desktop.show({
        title: "Chatalot",
        body: "This is how a new message will show.",
        tag: "chatalot-test",
        data: { path: "/settings/notifications", channelId: "", seq: 0 },
      });
    },
  };
  return model;
}

export type Notifications = ReturnType<typeof createNotifications>;

/**
 * The signed-in page's notifications, for the menus mounted deep in the sidebar (a
 * community's, a channel's, a conversation's) without threading it through each.
 */
export const notificationsInUse = signal<Notifications | null>(null);

export const NotificationsModel = createModel((deps: NotificationsDependencies) => {
  const model = createNotifications(deps);
  notificationsInUse.value = model;
  effect(() => () => {
    if (notificationsInUse.peek() === model) notificationsInUse.value = null;
  });
  return model;
});
