/**
 * The service worker: it makes Chatalot open without a network. It precaches the
 * app shell (the list Workbox writes into __WB_MANIFEST at build time) and answers
 * every page navigation with the cached index.html, so the installed app starts
 * offline and says it is offline. It never touches /api, the sockets or the admin
 * page: those always go to the network. It also shows Web Push notifications and
 * opens the app at a clicked notification's message.
 *
 * Updates: a new build's worker installs beside the old one and waits; it takes over
 * when every Chatalot window has closed, so the next launch runs the new version
 * and no open window ever mixes old and new files.
 */
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
  type PrecacheEntry,
} from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { CacheFirst } from "workbox-strategies";
import { openNotification, showPush } from "./push-notifications.ts";

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

/** Navigations that are not the app: the server answers them itself. */
const NOT_THE_APP = [
  /^\/api\//,
  /^\/admin(\/|$)/,
  /^\/admin-assets\//,
  /^\/health/,
  /^\/\.well-known\//,
  /^\/internal\//,
];

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL("/index.html"), { denylist: NOT_THE_APP }));
// The chunks left out of the precache (web/vite.config.ts: the emoji catalogue, the code
// highlighter) are kept once fetched: their names carry their content's hash.
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && /^\/assets\/(emoji-catalog|highlight-code)-[\w-]+\.js$/.test(url.pathname),
  new CacheFirst({ cacheName: "chatalot-lazy-chunks" }),
);

// Notifications (issue #23): a Web Push shows one (push-notifications.ts); a click on any of
// ours, the page's too, opens the app at its message.
self.addEventListener("push", (event) => event.waitUntil(showPush(self, event.data)));
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openNotification(self, event.notification.data));
});
