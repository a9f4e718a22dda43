/**
 * A file a component shows: loaded once its place comes near the screen (or at once
 * when asked), and kept (its `blob:` URL not revoked) while the component is mounted.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Attachment } from "../../../../e2ee/index.ts";
import type { FileCache, FileState } from "../../models/files/file-cache.ts";

/** Start fetching this far before an attachment scrolls into view, so it is there when it arrives. */
const PRELOAD_MARGIN = "600px";

export function useFile<T extends Element>(
  files: FileCache,
  attachment: Attachment,
  isWanted = true,
): { state: FileState; ref: { current: T | null } } {
  const ref = useRef<T>(null);
  const [isNear, setNear] = useState(false);
  const state = files.stateOf(attachment.fileId).value;

  useEffect(() => files.use(attachment.fileId), [files, attachment.fileId]);

  useEffect(() => {
    const element = ref.current;
    if (!element || isNear) return;
    const observer = new IntersectionObserver(
      (seen) => {
        if (seen.some((entry) => entry.isIntersecting)) setNear(true);
      },
      // The margin counts only around the root: the scroller the message sits in, not the window.
      { root: element.closest(".message-scroller, .side-panel-scroller"), rootMargin: PRELOAD_MARGIN },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [isNear]);

  useEffect(() => {
    if (isNear && isWanted && state.status === "idle") files.load(attachment).catch(() => undefined);
  }, [isNear, isWanted, state.status, files, attachment]);

  return { state, ref };
}
