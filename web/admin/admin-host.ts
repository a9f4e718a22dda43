/**
 * The contract between the admin page's public shell and its admin-only bundle.
 * The shell owns the session (the bundle never sees a token); the bundle exports
 * `mount`, which renders the admin page and hands back a way to remove it.
 */
import type { UserView } from "../../protocol/index.ts";

/** Where the shell finds the bundle: served only to an admin holding the console cookie. */
export const ADMIN_BUNDLE_PATH = "/admin-assets/admin.js";

export interface AdminHost {
  /** The instance admin who is signed in. */
  readonly user: UserView;
  /**
   * fetch() on the API as that admin: adds the access token, renews it once when the
   * server calls it expired, and ends the page's session when the server ended it
   * (the shell then removes the admin page). Rejects when the server is unreachable or the
   * session has already ended.
   */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Signs this session out and leaves the admin page. */
  signOut(): Promise<void>;
}

/** Renders the admin page into `element`; resolves with the function that removes it again. */
export type MountAdmin = (element: HTMLElement, host: AdminHost) => Promise<() => void>;
