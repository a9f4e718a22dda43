/**
 * Places a popout dialog beside what opened it, as Discord's profile popout: to the
 * right of the anchor when there is room, else to its left, its top level with the
 * anchor's and kept inside the window. On a phone the stylesheet makes it a sheet
 * from the bottom instead, so nothing is placed there.
 */
const GAP_PX = 8;
const PHONE_QUERY = "(max-width: 640px)";

export function placeBeside(element: HTMLElement, anchor: HTMLElement | null): void {
  if (!anchor || matchMedia(PHONE_QUERY).matches) return;
  const box = anchor.getBoundingClientRect();
  const { width, height } = element.getBoundingClientRect();
  const fitsRight = box.right + GAP_PX + width <= innerWidth - GAP_PX;
  const left = fitsRight ? box.right + GAP_PX : Math.max(GAP_PX, box.left - GAP_PX - width);
  const top = Math.min(Math.max(GAP_PX, box.top), Math.max(GAP_PX, innerHeight - height - GAP_PX));
  // The CSSOM, not a style attribute: the page's Content-Security-Policy allows this.
  element.style.left = `${left}px`;
  element.style.top = `${top}px`;
  element.classList.add("is-placed");
}
