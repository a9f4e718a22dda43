/**
 * Desktop notifications on this device: the browser's permission, whether the person
 * wants them here (kept in this browser: a shared office PC and a phone differ), the
 * in-app prompt that asks for the permission once, at a moment that explains itself
 * (the first DM or mention that arrives while the tab is hidden), never on load, and
 * showing one through the service worker's registration, so a click reaches the
 * worker's `notificationclick` and each channel's notifications collapse into one.
 */
import { computed, signal } from "@preact/signals";

/** "off" when the person turned desktop notifications off on this device. */
const ENABLED_KEY = "chatalot-desktop-notifications";
/** Set once the prompt was answered or dismissed: it is not shown again. */
const PROMPTED_KEY = "chatalot-notification-prompted";

export type Permission = NotificationPermission | "unsupported";

export interface ShownNotification {
  title: string;
  body: string;
  /** Notifications with the same tag replace each other: the channel's id. */
  tag: string;
  /** Where a click takes the person: the app path and the message's seq. */
  data: { path: string; channelId: string; seq: number };
}

const isSupported = () => typeof Notification !== "undefined" && "serviceWorker" in navigator;
const readPermission = (): Permission => (isSupported() ? Notification.permission : "unsupported");

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage refused (private mode): the choice lasts as long as the page.
  }
}

export function createDesktopNotifications() {
  const permission = signal<Permission>(readPermission());
  const isWanted = signal(stored(ENABLED_KEY) !== "off");
  const isPromptShown = signal(false);
  const error = signal<string | null>(null);

  const isOn = computed(() => isWanted.value && permission.value === "granted");

  async function ask(): Promise<void> {
    store(PROMPTED_KEY, "1");
    isPromptShown.value = false;
    if (!isSupported()) return;
    error.value = null;
    try {
      permission.value = await Notification.requestPermission();
    } catch {
      permission.value = readPermission();
    }
    if (permission.value === "granted") setWanted(true);
    else if (permission.value === "denied")
      error.value =
        "your browser blocks notifications for this site: allow them in the site's settings (the icon left of the address)";
  }

  function setWanted(next: boolean): void {
    isWanted.value = next;
    store(ENABLED_KEY, next ? null : "off");
  }

  async function show(notification: ShownNotification): Promise<boolean> {
    if (!isOn.peek()) return false;
    try {
      const registration = await navigator.serviceWorker.ready;
      await registration.showNotification(notification.title, {
        body: notification.body,
        tag: notification.tag,
        data: notification.data,
        icon: "/icons/icon-192.png",
        badge: "/icons/icon-192.png",
      });
      return true;
    } catch (caught) {
      error.value = `a notification could not be shown: ${caught instanceof Error ? caught.message : String(caught)}`;
      return false;
    }
  }

  return {
    permission,
    isWanted,
    isOn,
    isPromptShown,
    error,
    ask,
    setWanted,
    show,
    /** A DM or mention arrived while the tab was hidden: the moment to ask, if never asked. */
    offerPrompt(): void {
      if (permission.peek() === "default" && isWanted.peek() && stored(PROMPTED_KEY) === null)
        isPromptShown.value = true;
    },
    dismissPrompt(): void {
      store(PROMPTED_KEY, "1");
      isPromptShown.value = false;
    },
    /** The permission may have changed in the browser's own settings meanwhile. */
    recheck(): void {
      permission.value = readPermission();
    },
  };
}

export type DesktopNotifications = ReturnType<typeof createDesktopNotifications>;
