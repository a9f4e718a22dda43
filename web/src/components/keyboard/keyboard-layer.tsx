/**
 * The app's keyboard: Ctrl/Cmd+K quick switcher, Ctrl/Cmd+F the search box,
 * Alt+↑/↓ between channels, Alt+Shift+↑/↓ between unread ones, Ctrl/Cmd+Alt+↑/↓
 * between communities, Esc marks the channel read (Shift+Esc the community),
 * Ctrl/Cmd+/ lists the shortcuts, and the "Skip to messages" link. Mounted once by the workspace; the
 * keys are heard on the document, after the focused element had its say.
 */
import { useModel } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Communities } from "../../models/communities.ts";
import type { Community } from "../../models/community.ts";
import type { DirectMessages } from "../../models/direct-messages.ts";
import { KeyboardModel, type Keyboard } from "../../models/keyboard.ts";
import { isApplePlatform, shortcutOf, type ShortcutAction } from "../../models/keyboard-shortcuts.ts";
import type { Router } from "../../models/router.ts";
import type { Session } from "../../models/session.ts";
import type { Unread } from "../../models/unread.ts";
import { announceChannelRead } from "./channel-read-event.ts";
import { isEscapeTakenBy } from "./focus-targets.ts";
import { focusSearch, searchInput } from "../search/search-focus.ts";
import { ShortcutsDialog } from "./shortcuts-dialog.tsx";
import { SkipLink } from "./skip-link.tsx";
import "./keyboard.css";

export interface KeyboardLayerProps {
  session: Session;
  router: Router;
  communities: Communities;
  community: Community | null;
  conversations: DirectMessages;
  unread: Unread;
}

type SwitcherModule = typeof import("./quick-switcher.tsx");

/** The switcher and its fuzzy matcher are fetched on the first Ctrl+K, not with the app. */
const loadSwitcher = (): Promise<SwitcherModule> => import("./quick-switcher.tsx");

export function KeyboardLayer(props: KeyboardLayerProps) {
  const latest = useRef(props);
  latest.current = props;
  const keyboard = useModel(() => new KeyboardModel({ ...props, community: () => latest.current.community }));
  const [switcher, setSwitcher] = useState<SwitcherModule | null>(null);
  const isMac = useRef(isApplePlatform()).current;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      // The command key goes down a moment before K: fetching starts then, so what is typed next lands in the switcher.
      if (event.key === (isMac ? "Meta" : "Control") && !switcher) void loadSwitcher().then(setSwitcher);
      const action = shortcutOf(event, isMac);
      if (!action || !isForUs(action, event, keyboard)) return;
      event.preventDefault();
      if (action === "open-switcher" && !switcher) void loadSwitcher().then(setSwitcher);
      run(action, keyboard);
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [switcher]);

  const dialog = keyboard.dialog.value;
  const QuickSwitcher = switcher?.QuickSwitcher;
  return (
    <>
      <SkipLink />
      <p class="visually-hidden" role="status">
        {keyboard.announcement.value}
      </p>
      {dialog === "switcher" && QuickSwitcher && (
        <QuickSwitcher
          keyboard={keyboard}
          router={props.router}
          communities={props.communities}
          community={props.community}
          conversations={props.conversations}
          unread={props.unread}
          ownUserId={props.session.user.value?.id ?? ""}
        />
      )}
      {dialog === "shortcuts" && <ShortcutsDialog isMac={isMac} onClose={() => keyboard.close()} />}
    </>
  );
}

/**
 * Whether a shortcut is the app's to take: Escape is left to whatever open
 * dialog, menu or popup it closes (and to anything that already handled it, such
 * as the composer's autocomplete); while one of our dialogs is open only its own
 * toggle works; a focused select or combobox keeps Alt+↑/↓ (open its list).
 */
function isForUs(action: ShortcutAction, event: KeyboardEvent, keyboard: Keyboard): boolean {
  if (event.defaultPrevented) return false;
  // A held key repeats: stepping through channels is wanted, a dialog flickering open and shut is not.
  if (event.repeat && (action === "open-switcher" || action === "show-shortcuts")) return false;
  // Where no channel is open there is no search box: the browser's own find goes on working.
  if (action === "search") return keyboard.dialog.peek() === null && searchInput() !== null;
  const open = keyboard.dialog.peek();
  if (open)
    return (open === "switcher" && action === "open-switcher") || (open === "shortcuts" && action === "show-shortcuts");
  if (action === "mark-channel-read" || action === "mark-community-read") return !isEscapeTakenBy(event.target);
  if (action.endsWith("-channel") || action.endsWith("-unread") || action.endsWith("-community")) {
    const target = event.target;
    return !(target instanceof Element && target.closest('select, [role="combobox"], [role="listbox"], [role="menu"]'));
  }
  return true;
}

function run(action: ShortcutAction, keyboard: Keyboard): void {
  switch (action) {
    case "open-switcher":
      return keyboard.dialog.peek() === "switcher" ? keyboard.close() : keyboard.open("switcher");
    case "search":
      return void focusSearch();
    case "show-shortcuts":
      return keyboard.dialog.peek() === "shortcuts" ? keyboard.close() : keyboard.open("shortcuts");
    case "previous-channel":
    case "next-channel":
      return keyboard.goToChannel(action === "next-channel" ? "next" : "previous");
    case "previous-unread":
    case "next-unread":
      return keyboard.goToUnread(action === "next-unread" ? "next" : "previous");
    case "previous-community":
    case "next-community":
      return keyboard.goToCommunity(action === "next-community" ? "next" : "previous");
    case "mark-channel-read": {
      const channelId = keyboard.markChannelRead();
      if (channelId) announceChannelRead(channelId);
      return;
    }
    case "mark-community-read":
      return keyboard.markCommunityRead();
  }
}
