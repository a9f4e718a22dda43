/**
 * What the instance admins want every signed-in person to read: loaded when the
 * page opens and whenever the tab comes back to the front, and dismissible one by
 * one (remembered in this browser).
 */
import { computed, createModel, effect, signal } from "@preact/signals";
import { describeError } from "./api-client.ts";
import type { Session } from "./session.ts";

export interface Announcement {
  id: string;
  body: string;
  createdAt: string;
  expiresAt: string | null;
}

const DISMISSED_KEY = "chatalot.dismissed-announcements";
/** Announcements also appear in a tab left open, within this long. */
const RELOAD_INTERVAL_MS = 5 * 60 * 1000;

function readDismissed(): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(DISMISSED_KEY) ?? "[]") as string[]);
  } catch {
    return new Set();
  }
}

export const AnnouncementsModel = createModel((session: Session) => {
  const all = signal<Announcement[]>([]);
  const dismissed = signal(readDismissed());
  const loadError = signal<string | null>(null);

  async function load(): Promise<void> {
    try {
      all.value = (await session.request<{ announcements: Announcement[] }>("/api/announcements")).announcements;
      loadError.value = null;
    } catch (caught) {
      loadError.value = describeError(caught);
    }
  }
  void load();
  effect(() => {
    const onVisible = () => {
      if (document.visibilityState === "visible") void load();
    };
    document.addEventListener("visibilitychange", onVisible);
    const timer = setInterval(() => void load(), RELOAD_INTERVAL_MS);
    return () => {
      document.removeEventListener("visibilitychange", onVisible);
      clearInterval(timer);
    };
  });

  return {
    shown: computed(() => all.value.filter((announcement) => !dismissed.value.has(announcement.id))),
    loadError,
    dismiss(id: string): void {
      const next = new Set(dismissed.value).add(id);
      dismissed.value = next;
      // Only ids of announcements still live are worth keeping.
      const live = [...next].filter((kept) => all.peek().some((announcement) => announcement.id === kept));
      localStorage.setItem(DISMISSED_KEY, JSON.stringify(live));
    },
  };
});

export type Announcements = InstanceType<typeof AnnouncementsModel>;
