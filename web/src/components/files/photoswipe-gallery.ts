/**
 * The lightbox itself (PhotoSwipe 5): zoom, arrow keys, Esc, swipe, a counter, and a
 * button that saves the image under its name. An image not yet decrypted shows
 * "Loading…" and is swapped in when it arrives; every image shown keeps its URL
 * until the lightbox closes.
 */
import PhotoSwipe, { type SlideData } from "photoswipe";
import "photoswipe/style.css";
import type { Attachment } from "../../../../e2ee/index.ts";
import type { FileCache } from "../../models/files/file-cache.ts";
import { saveAs } from "./file-attachment.tsx";

/** An image sealed without dimensions is laid out at this size until the lightbox knows better. */
const UNKNOWN_SIZE = { width: 1600, height: 1200 };

const DOWNLOAD_ICON =
  '<svg aria-hidden="true" class="pswp__icn" viewBox="0 0 32 32" width="32" height="32">' +
  '<path d="M16 6v13m-6-6 6 6 6-6M8 24h16" fill="none" stroke="currentColor" stroke-width="2.5"/></svg>';

export function showGallery(files: FileCache, images: readonly Attachment[], index: number): void {
  const releases: (() => void)[] = [];
  const pswp = new PhotoSwipe({
    dataSource: images.map((attachment) => ({ fileId: attachment.fileId })),
    index,
    bgOpacity: 0.9,
    showHideAnimationType: matchMedia("(prefers-reduced-motion: reduce)").matches ? "none" : "fade",
    closeTitle: "Close",
    zoomTitle: "Zoom",
    arrowPrevTitle: "Previous image",
    arrowNextTitle: "Next image",
    errorMsg: "This image could not be shown",
    indexIndicatorSep: " of ",
  });
  const attachmentAt = (slideIndex: number) => images[slideIndex];

  pswp.addFilter("itemData", (_data, slideIndex): SlideData => {
    const attachment = attachmentAt(slideIndex);
    if (!attachment) return { html: "" };
    releases.push(files.use(attachment.fileId));
    const state = files.stateOf(attachment.fileId).peek();
    if (state.status === "ready") {
      return {
        src: state.url,
        width: attachment.width ?? UNKNOWN_SIZE.width,
        height: attachment.height ?? UNKNOWN_SIZE.height,
        alt: attachment.name,
      };
    }
    if (state.status === "failed") return { html: messageHtml(state.error) };
    files
      .load(attachment)
      .catch(() => undefined)
      .finally(() => {
        if (!pswp.isDestroying) pswp.refreshSlideContent(slideIndex);
      });
    return { html: messageHtml("Loading…") };
  });

  pswp.on("uiRegister", () => {
    pswp.ui?.registerElement({
      name: "download",
      order: 8,
      isButton: true,
      title: "Download",
      ariaLabel: "Download image",
      html: { isCustomSVG: true, inner: DOWNLOAD_ICON },
      onClick: () => {
        const attachment = attachmentAt(pswp.currIndex);
        if (attachment)
          void files.load(attachment).then(
            (url) => saveAs(url, attachment.name),
            () => undefined,
          );
      },
    });
  });
  pswp.on("afterInit", () => {
    pswp.element?.setAttribute("aria-label", "Images in this channel");
    pswp.element?.setAttribute("aria-modal", "true");
  });
  // PhotoSwipe listens for keys only once it has opened (its animation, and the image's
  // decoding): an Esc pressed before then still closes it, as soon as it can.
  let isEscapePending = false;
  const onEarlyKey = (event: KeyboardEvent) => (isEscapePending ||= event.key === "Escape");
  document.addEventListener("keydown", onEarlyKey);
  pswp.on("bindEvents", () => {
    document.removeEventListener("keydown", onEarlyKey);
    if (isEscapePending) pswp.close();
  });
  pswp.on("destroy", () => {
    document.removeEventListener("keydown", onEarlyKey);
    for (const release of releases) release();
  });
  pswp.init();
}

/** A slide that says something instead of an image, escaped by the DOM so words are never markup. */
function messageHtml(words: string): string {
  const element = document.createElement("div");
  element.className = "lightbox-message";
  element.textContent = words;
  return element.outerHTML;
}
