/**
 * The places keyboard shortcuts send focus to, found in the page rather than
 * handed down: the open channel's messages (the skip link) and its composer (after
 * the quick switcher opened a channel). Also the test for whether an Escape belongs
 * to something that closes with it before it may mark the channel read.
 */

/**
 * Something open that Escape should close first: a dialog, menu, listbox, popover,
 * expanded control, or a side panel (a thread, the pins) that closes with Escape.
 */
const CLOSES_WITH_ESCAPE =
  'dialog, [role="dialog"], [role="alertdialog"], [role="menu"], [role="listbox"], [aria-expanded="true"], [popover], aside';

export function isEscapeTakenBy(target: EventTarget | null): boolean {
  if (target instanceof Element && target.closest(CLOSES_WITH_ESCAPE)) return true;
  // A modal open anywhere keeps Escape even when focus strayed outside it.
  return document.querySelector('dialog[open], [aria-modal="true"]') !== null;
}

/** Focuses an element that may not take focus by itself, without scrolling the page to its top. */
function focusQuietly(element: HTMLElement): void {
  if (!element.hasAttribute("tabindex") && !element.matches("a[href], button, input, textarea, select"))
    element.setAttribute("tabindex", "-1");
  element.focus({ preventScroll: true });
}

/** The open channel's message log, else the main pane. */
export function focusMessages(): boolean {
  const target =
    document.querySelector<HTMLElement>('main [role="log"]') ?? document.querySelector<HTMLElement>("main");
  if (!target) return false;
  focusQuietly(target);
  return true;
}

/** How long a newly opened channel may take to show its composer. */
const COMPOSER_WAIT_MS = 3_000;

/** Once the channel just opened shows its composer, puts the cursor there (as Discord does after a switch). */
export function focusComposerWhenShown(channelId: string | null): void {
  const until = performance.now() + COMPOSER_WAIT_MS;
  const attempt = () => {
    const isOpen = channelId === null || location.pathname.endsWith(`/${encodeURIComponent(channelId)}`);
    const composer = document.querySelector<HTMLTextAreaElement>("main textarea:not([disabled])");
    if (isOpen && composer) return composer.focus();
    if (!isOpen || performance.now() > until) return void focusMessages();
    requestAnimationFrame(attempt);
  };
  requestAnimationFrame(attempt);
}
