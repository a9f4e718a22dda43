/**
 * Layout checks for the browser journeys: what sticks out sideways on a narrow
 * screen, and whether the focused element shows a focus ring.
 */
import type { Page } from "playwright-core";

/** The narrowest common phone. */
export const PHONE = { width: 360, height: 740 };

/** Elements whose right edge passes the window's at the page's current size: each would make it scroll sideways. */
export function elementsStickingOut(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("body *"))
      .filter(
        (element) =>
          element.getClientRects().length > 0 && element.getBoundingClientRect().right > window.innerWidth + 0.5,
      )
      .map((element) => element.outerHTML.slice(0, 80)),
  );
}

/** The focused element, with whether it draws an outline (the visible focus ring). */
export function focusedElement(page: Page): Promise<{ text: string; tag: string; hasOutline: boolean }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    const style = element ? getComputedStyle(element) : null;
    return {
      text: element?.innerText?.trim() ?? "",
      tag: element?.tagName.toLowerCase() ?? "",
      hasOutline: !!style && style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    };
  });
}
