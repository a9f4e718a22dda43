/**
 * The browser tab tells what waits: the title carries the open place and a count,
 * "(3) #general | Zebra Club", "(1) alice" in a conversation, "Chatalot" elsewhere,
 * and the favicon gets a red badge with the same count. The count is what Discord
 * counts: mentions in community channels plus unread messages in conversations,
 * muted ones never. The open channel counts only while the person is not looking at
 * it (the tab hidden or the window in the background): looking marks it read.
 */
import { computed, effect, signal, type ReadonlySignal } from "@preact/signals";
import type { UnreadView } from "../../../../protocol/index.ts";

const APP_NAME = "Chatalot";
const FAVICON_PATH = "/favicon.svg";
const ICON_SIZE = 64;
/** Past this the badge says "9+": a 16-pixel favicon has room for one digit. */
const BADGE_MAX = 9;

/** The page is visible and focused: the open channel is being read. */
export function createLooking(): ReadonlySignal<boolean> {
  const isLooking = () => document.visibilityState === "visible" && document.hasFocus();
  const looking = signal(isLooking());
  effect(() => {
    const update = () => (looking.value = isLooking());
    document.addEventListener("visibilitychange", update);
    addEventListener("focus", update);
    addEventListener("blur", update);
    return () => {
      document.removeEventListener("visibilitychange", update);
      removeEventListener("focus", update);
      removeEventListener("blur", update);
    };
  });
  return looking;
}

/** Mentions plus unread conversation messages, muted channels already left out of `views`. */
export function waitingCount(views: readonly UnreadView[], skippedChannelId: string | null): number {
  let count = 0;
  for (const view of views) {
    if (view.channelId === skippedChannelId) continue;
    count += view.communityId === null ? view.unread : view.mentions;
  }
  return count;
}

export function titleFor(count: number, placeName: string | null): string {
  const name = placeName ?? APP_NAME;
  return count > 0 ? `(${count}) ${name}` : name;
}

/** Keeps the title and favicon in step with the count and the open place, while the model lives. */
export function createTabBadge(count: ReadonlySignal<number>, placeName: ReadonlySignal<string | null>) {
  const title = computed(() => titleFor(count.value, placeName.value));
  effect(() => {
    document.title = title.value;
  });
  let drawn = 0;
  let iconImage: Promise<HTMLImageElement | null> | null = null;
  effect(() => {
    const shown = count.value;
    if (shown === drawn) return;
    drawn = shown;
    iconImage ??= loadImage(FAVICON_PATH);
    void iconImage.then((image) => {
      if (drawn === shown) setFavicon(shown > 0 && image ? badged(image, shown) : FAVICON_PATH);
    });
  });
  effect(() => () => {
    document.title = APP_NAME;
    setFavicon(FAVICON_PATH);
  });
  return { title };
}

function loadImage(source: string): Promise<HTMLImageElement | null> {
  return new Promise((resolve) => {
    const image = new Image(ICON_SIZE, ICON_SIZE);
    image.onload = () => resolve(image);
    image.onerror = () => resolve(null);
    image.src = source;
  });
}

/** The app icon with a red disc at the lower right holding the count. */
function badged(image: HTMLImageElement, count: number): string {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = ICON_SIZE;
  const context = canvas.getContext("2d");
  if (!context) return FAVICON_PATH;
  context.drawImage(image, 0, 0, ICON_SIZE, ICON_SIZE);
  const radius = ICON_SIZE * 0.3;
  const centre = ICON_SIZE - radius;
  context.beginPath();
  context.arc(centre, centre, radius, 0, 2 * Math.PI);
  context.fillStyle = "#e5383b";
  context.fill();
  context.lineWidth = 4;
  context.strokeStyle = "#ffffff";
  context.stroke();
  context.fillStyle = "#ffffff";
  context.font = `bold ${Math.round(radius * 1.3)}px system-ui, sans-serif`;
  context.textAlign = "center";
  context.textBaseline = "middle";
  context.fillText(count > BADGE_MAX ? `${BADGE_MAX}+` : String(count), centre, centre + 1);
  return canvas.toDataURL("image/png");
}

function setFavicon(href: string): void {
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement("link");
    link.rel = "icon";
    document.head.append(link);
  }
  link.type = href === FAVICON_PATH ? "image/svg+xml" : "image/png";
  link.href = href;
}
