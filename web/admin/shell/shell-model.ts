/**
 * What the public /admin page does: restore the session, ask the server to admit
 * this browser to the admin code (403 for anyone but an instance admin: then
 * nothing more is loaded), import the admin bundle and mount it; and take the
 * admin page down again the moment the session ends.
 */
import { createModel, effect, signal } from "@preact/signals";
import { describeError } from "../../src/models/api-client.ts";
import { ADMIN_BUNDLE_PATH, type MountAdmin } from "../admin-host.ts";
import { apiErrorFrom } from "../api-error-from.ts";
import { AdminSessionModel } from "./admin-session.ts";

export type ShellState =
  | { name: "loading" }
  | { name: "signed-out" }
  | { name: "refused"; username: string }
  | { name: "failed"; reason: string }
  | { name: "open" }
  | { name: "ended"; reason: string };

export const ShellModel = createModel((element: HTMLElement) => {
  const session = new AdminSessionModel();
  const state = signal<ShellState>({ name: "loading" });
  let unmount: (() => void) | null = null;

  /** Admits this browser to /admin-assets for a minute; false when the server refuses (not an admin). */
  async function admit(): Promise<boolean> {
    const response = await session.fetch("/api/admin/console", { method: "POST" });
    if (response.status === 403) return false;
    if (!response.ok) throw await apiErrorFrom(response);
    return true;
  }

  async function open(): Promise<void> {
    const restored = await session.restore();
    const user = session.user.peek();
    if (!restored.isOk || !user) {
      state.value =
        !restored.isOk && !restored.isSignedOut ? { name: "failed", reason: restored.reason } : { name: "signed-out" };
      return;
    }
    try {
      if (!(await admit())) {
        state.value = { name: "refused", username: user.username };
        return;
      }
      const bundle = await loadBundle();
      const host = { user, fetch: session.fetch, signOut: session.signOut };
      const remove = await bundle.mount(element, host);
      if (session.endedReason.peek()) return remove(); // ended while mounting: the effect below said why
      unmount = remove;
      state.value = { name: "open" };
    } catch (caught) {
      if (!session.endedReason.peek()) state.value = { name: "failed", reason: describeError(caught) };
    }
  }

  effect(() => {
    const reason = session.endedReason.value;
    if (!reason) return;
    unmount?.();
    unmount = null;
    state.value = { name: "ended", reason };
  });

  void open();

  return {
    state,
    /** A failed load cannot be retried in place (the browser caches a failed module): load the page again. */
    reload() {
      location.reload();
    },
  };
});

export type Shell = InstanceType<typeof ShellModel>;

/** The admin code, fetched with the console cookie; a network or server failure in words. */
async function loadBundle(): Promise<{ mount: MountAdmin }> {
  try {
    return (await import(/* @vite-ignore */ ADMIN_BUNDLE_PATH)) as { mount: MountAdmin };
  } catch {
    throw new Error("the admin page's code could not be loaded: check your connection and reload the page");
  }
}
