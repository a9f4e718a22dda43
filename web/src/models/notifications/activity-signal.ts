/**
 * The account socket's `active` frame: while the page is visible and the person uses
 * it, the server sends them no Web Push (the page shows its own notifications). Sent
 * on input and on coming back to the tab, at most every ACTIVE_EVERY_MS; the server
 * counts a person active for a while after the last one.
 */
import { effect } from "@preact/signals";
import type { AccountEvents } from "../account-events.ts";

/** The server's window is two minutes: once every 30 s keeps it open with room to spare. */
const ACTIVE_EVERY_MS = 30_000;
const INPUT_EVENTS = ["keydown", "pointerdown", "wheel", "touchstart", "focus"] as const;

export function createActivitySignal(events: AccountEvents): void {
  let lastSentAt = -Infinity;
  const tell = () => {
    if (document.visibilityState !== "visible" || Date.now() - lastSentAt < ACTIVE_EVERY_MS) return;
    if (events.sendActive()) lastSentAt = Date.now();
  };
  effect(() => {
    for (const name of INPUT_EVENTS) addEventListener(name, tell, { passive: true });
    document.addEventListener("visibilitychange", tell);
    return () => {
      for (const name of INPUT_EVENTS) removeEventListener(name, tell);
      document.removeEventListener("visibilitychange", tell);
    };
  });
  // A new connection starts with the server knowing nothing: the next input tells it again.
  effect(() =>
    events.listen((news) => {
      if (news.type === "reconnected") lastSentAt = -Infinity;
    }),
  );
  effect(() => {
    if (events.isConnected.value) tell();
  });
}
