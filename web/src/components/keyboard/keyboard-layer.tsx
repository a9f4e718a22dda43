/**
 * The app's keyboard: Ctrl/Cmd+K quick switcher, Alt+↑/↓ between channels,
 * Alt+Shift+↑/↓ between unread ones, Esc marks the channel read, Ctrl+/ lists the
 * shortcuts. Mounted once by the workspace. CONTRACT STUB: the keyboard helper
 * replaces this body; the props may grow (the workspace passes its models).
 */
import type { Communities } from "../../models/communities.ts";
import type { Community } from "../../models/community.ts";
import type { DirectMessages } from "../../models/direct-messages.ts";
import type { Router } from "../../models/router.ts";
import type { Unread } from "../../models/unread.ts";

export interface KeyboardLayerProps {
  router: Router;
  communities: Communities;
  community: Community | null;
  conversations: DirectMessages;
  unread: Unread;
}

export function KeyboardLayer(_props: KeyboardLayerProps) {
  return null;
}
