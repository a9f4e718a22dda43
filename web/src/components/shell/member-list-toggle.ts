/**
 * Whether a community channel shows its member list at the right (as Discord's header
 * toggle): on unless the person hid it, remembered in this browser.
 */
import { signal } from "@preact/signals";

const KEY = "chatalot:member-list-hidden";

function storedHidden(): boolean {
  try {
    return localStorage.getItem(KEY) === "1";
  } catch {
    return false;
  }
}

export const isMemberListShown = signal(!storedHidden());

export function toggleMemberList(): void {
  isMemberListShown.value = !isMemberListShown.peek();
  try {
    if (isMemberListShown.value) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, "1");
  } catch {
    // storage turned off: the choice lasts this page's life
  }
}
