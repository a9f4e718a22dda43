/**
 * The names of the places notifications come from ("#general, Zebra Club", "alice"),
 * kept where the service worker can read them: a push carries ids only, and the
 * worker cannot ask the server without the page's session, so it names a place the
 * page named before, or says "New message". Kept in this browser's Cache Storage,
 * forgotten on signing out. Shared by the page and the service worker.
 */
const CACHE_NAME = "chatalot-notification-places";
const keyOf = (channelId: string) => `/notification-places/${encodeURIComponent(channelId)}`;

export async function rememberPlaceLabel(channelId: string, label: string): Promise<void> {
  try {
    const cache = await caches.open(CACHE_NAME);
    await cache.put(keyOf(channelId), new Response(label, { headers: { "Content-Type": "text/plain" } }));
  } catch {
    // No Cache Storage (a private window may refuse it): pushes say "New message".
  }
}

export async function placeLabelOf(channelId: string): Promise<string | null> {
  try {
    const answer = await (await caches.open(CACHE_NAME)).match(keyOf(channelId));
    return answer ? await answer.text() : null;
  } catch {
    return null;
  }
}

export async function forgetPlaceLabels(): Promise<void> {
  try {
    await caches.delete(CACHE_NAME);
  } catch {
    // Nothing kept.
  }
}
