/**
 * The app's keyboard shortcuts: what each binding does, how the shortcuts dialog
 * names it, and which one a key press is. The bindings are Discord's where Discord
 * has one (Ctrl+K, Ctrl+F, Alt+↑/↓, Alt+Shift+↑/↓, Ctrl+Alt+↑/↓, Esc, Shift+Esc, Ctrl+/);
 * on macOS Cmd stands in for Ctrl and Option is Alt.
 */

export type ShortcutAction =
  | "open-switcher"
  | "search"
  | "previous-channel"
  | "next-channel"
  | "previous-unread"
  | "next-unread"
  | "previous-community"
  | "next-community"
  | "mark-channel-read"
  | "mark-community-read"
  | "show-shortcuts";

export interface Shortcut {
  action: ShortcutAction;
  /** The keys as the dialog shows them, one `<kbd>` each. */
  keys: (isMac: boolean) => string[];
  description: string;
}

const mod = (isMac: boolean) => (isMac ? "⌘" : "Ctrl");
const alt = (isMac: boolean) => (isMac ? "⌥" : "Alt");

/** In the order the shortcuts dialog lists them. */
export const SHORTCUTS: readonly Shortcut[] = [
  { action: "open-switcher", keys: (mac) => [mod(mac), "K"], description: "Find or start a conversation" },
  { action: "search", keys: (mac) => [mod(mac), "F"], description: "Search messages" },
  { action: "previous-channel", keys: (mac) => [alt(mac), "↑"], description: "Previous channel" },
  { action: "next-channel", keys: (mac) => [alt(mac), "↓"], description: "Next channel" },
  { action: "previous-unread", keys: (mac) => [alt(mac), "Shift", "↑"], description: "Previous unread channel" },
  { action: "next-unread", keys: (mac) => [alt(mac), "Shift", "↓"], description: "Next unread channel" },
  { action: "previous-community", keys: (mac) => [mod(mac), alt(mac), "↑"], description: "Previous community" },
  { action: "next-community", keys: (mac) => [mod(mac), alt(mac), "↓"], description: "Next community" },
  { action: "mark-channel-read", keys: () => ["Esc"], description: "Mark the channel read" },
  { action: "mark-community-read", keys: () => ["Shift", "Esc"], description: "Mark the community read" },
  { action: "show-shortcuts", keys: (mac) => [mod(mac), "/"], description: "Show these shortcuts" },
];

/** Apple keyboards: Cmd instead of Ctrl. */
export function isApplePlatform(): boolean {
  const platform =
    (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform ?? navigator.platform;
  return /mac|iphone|ipad|ipod/i.test(platform);
}

type KeyPress = Pick<KeyboardEvent, "key" | "code" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey">;

/** The shortcut a key press is, if any. `isMac` decides whether Cmd or Ctrl is the command key. */
export function shortcutOf(press: KeyPress, isMac: boolean): ShortcutAction | null {
  const command = isMac ? press.metaKey : press.ctrlKey;
  // The other platform's command key held too is some other shortcut (Ctrl+Cmd+K on a Mac).
  const other = isMac ? press.ctrlKey : press.metaKey;
  if (other) return null;
  const arrow = press.key === "ArrowUp" ? "previous" : press.key === "ArrowDown" ? "next" : null;
  if (arrow && press.altKey) {
    if (command && !press.shiftKey) return `${arrow}-community`;
    if (command) return null;
    return press.shiftKey ? `${arrow}-unread` : `${arrow}-channel`;
  }
  if (press.altKey) return null;
  // By physical key as well: on some layouts "/" needs Shift, and Cmd+K reports "k" or "K".
  if (command && !press.shiftKey && (press.code === "KeyK" || press.key.toLowerCase() === "k")) return "open-switcher";
  if (command && (press.code === "Slash" || press.key === "/")) return "show-shortcuts";
  if (command && !press.shiftKey && (press.code === "KeyF" || press.key.toLowerCase() === "f")) return "search";
  if (press.key === "Escape" && !command) return press.shiftKey ? "mark-community-read" : "mark-channel-read";
  return null;
}
