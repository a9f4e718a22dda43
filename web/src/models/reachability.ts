/**
 * Whether Chatalot can reach its server, for the offline banner: the browser's own
 * online and offline events, and, after a start that could not restore the saved
 * session (the installed app opened with no network), a check of /health every few
 * seconds until the server answers again.
 */
import { computed, signal } from "@preact/signals";

/** How often a start that found no server looks again. */
const RECHECK_MS = 3_000;

const isBrowserOnline = signal(navigator.onLine);
/** True from a start that could not restore the saved session for want of a server, until it answers. */
export const isServerUnreachable = signal(false);
window.addEventListener("online", () => (isBrowserOnline.value = true));
window.addEventListener("offline", () => (isBrowserOnline.value = false));

/** True while the browser says it has no network or the server could not be reached. */
export const isOffline = computed(() => !isBrowserOnline.value || isServerUnreachable.value);

/** Whether the server answers at all (a 503 while it starts counts: it is there). */
async function serverAnswers(): Promise<boolean> {
  try {
    await fetch("/health", { cache: "no-store" });
    return true;
  } catch {
    return false;
  }
}

/**
 * After a request failed: if the server does not answer, says so and checks again
 * until it does (at once when the browser says it is back online), then runs `onBack`.
 * If it answers at once, the failure was something else and nothing happens.
 */
export async function recheckUntilReachable(onBack: () => void): Promise<void> {
  if (await serverAnswers()) return;
  isServerUnreachable.value = true;
  while (!(await serverAnswers())) {
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        window.removeEventListener("online", wake);
        resolve();
      };
      const timer = setTimeout(wake, RECHECK_MS);
      window.addEventListener("online", wake);
    });
  }
  isServerUnreachable.value = false;
  onBack();
}
