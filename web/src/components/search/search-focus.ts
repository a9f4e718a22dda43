/** The search box found in the page, for Ctrl/Cmd+F (the keyboard layer) and the results panel's Esc. */

export const SEARCH_INPUT_ID = "search-input";

export const searchInput = () => document.getElementById(SEARCH_INPUT_ID) as HTMLInputElement | null;

/** Puts the cursor in the search box with its text selected, as Discord's Ctrl+F does; false when there is none. */
export function focusSearch(): boolean {
  const input = searchInput();
  if (!input) return false;
  input.focus();
  input.select();
  return true;
}
