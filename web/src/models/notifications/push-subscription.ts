/**
 * Web Push for this browser: while desktop notifications are on here, the service
 * worker holds a push subscription made with the server's VAPID key and the server
 * holds its endpoint (POST /api/push/subscriptions), so DMs and mentions arrive with
 * no tab open. A key the server rotated means subscribing again; turning desktop
 * notifications off or signing out ends the subscription (the server also drops a
 * session's subscriptions when it ends).
 */
import { signal } from "@preact/signals";
import { base64UrlToBytes, type VapidPublicKeyView } from "../../../../protocol/push.ts";
import { describeError } from "../api-client.ts";
import type { Session } from "../session.ts";

export type PushState = "off" | "subscribing" | "on" | "unavailable";

const sameKey = (held: ArrayBuffer | null, wanted: Uint8Array) =>
  held !== null && held.byteLength === wanted.byteLength && new Uint8Array(held).every((byte, i) => byte === wanted[i]);

async function pushManager(): Promise<PushManager | null> {
  if (!("serviceWorker" in navigator) || typeof PushManager === "undefined") return null;
  return (await navigator.serviceWorker.ready).pushManager;
}

export function createPushSubscription(session: Session) {
  const state = signal<PushState>("off");
  /** Why pushes cannot reach this browser, in words. */
  const problem = signal<string | null>(null);
  let work: Promise<void> = Promise.resolve();
  const inTurn = (step: () => Promise<void>) => (work = work.then(step, step));

  async function subscribe(): Promise<void> {
    const manager = await pushManager();
    if (!manager) {
      state.value = "unavailable";
      problem.value = "this browser cannot receive pushes";
      return;
    }
    state.value = "subscribing";
    try {
      const { publicKey } = await session.request<VapidPublicKeyView>("/api/push/vapid-public-key");
      const key = base64UrlToBytes(publicKey);
      if (!key) throw new Error("the server's push key is malformed");
      let subscription = await manager.getSubscription();
      if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
        await subscription.unsubscribe();
        subscription = null;
      }
      subscription ??= await manager.subscribe({ userVisibleOnly: true, applicationServerKey: key as BufferSource });
      await session.request<unknown>("/api/push/subscriptions", { method: "POST", body: subscription.toJSON() });
      state.value = "on";
      problem.value = null;
    } catch (caught) {
      state.value = "unavailable";
      problem.value = `pushes cannot reach this browser when no tab is open (${describeError(caught)})`;
    }
  }

  async function unsubscribe(tellServer: boolean): Promise<void> {
    try {
      const subscription = await (await pushManager())?.getSubscription();
      if (!subscription) return;
      const { endpoint } = subscription;
      await subscription.unsubscribe();
      if (tellServer) await session.request<null>("/api/push/subscriptions", { method: "DELETE", body: { endpoint } });
    } catch {
      // Nothing held, or the server is away: its subscription ends with the session anyway.
    } finally {
      state.value = "off";
    }
  }

  return {
    state,
    problem,
    subscribe: () => inTurn(subscribe),
    /** `tellServer`: false after signing out, when the session (and its subscriptions) is gone already. */
    unsubscribe: (tellServer: boolean) => inTurn(() => unsubscribe(tellServer)),
  };
}

export type PushSubscriptionState = ReturnType<typeof createPushSubscription>;
