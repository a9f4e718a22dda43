/**
 * Says so while Chatalot has no network: the installed app can open its shell
 * offline (the service worker, web/sw/sw.ts), and this tells the person why
 * nothing loads, instead of a spinner or a stale "Connected".
 */
import { isOffline } from "../models/reachability.ts";
import "./offline-banner.css";

export function OfflineBanner() {
  if (!isOffline.value) return null;
  return (
    <p class="offline-banner" role="status">
      <span class="offline-banner-dot" aria-hidden="true" />
      You are offline: Chatalot will reconnect when the network is back.
    </p>
  );
}
