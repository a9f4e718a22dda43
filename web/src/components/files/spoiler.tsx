/**
 * A file its sender marked as a spoiler: covered until the reader chooses to see it
 * (a button, so a click, Enter or Space uncovers it). An image's cover keeps the
 * image's size, so uncovering it moves nothing.
 */
import type { ComponentChildren } from "preact";
import type { Attachment } from "../../../../e2ee/index.ts";
import type { FileCache } from "../../models/files/file-cache.ts";
import { BlurhashPlaceholder } from "./blurhash-placeholder.tsx";
import { inlineBoxStyle, inlineSizeOf } from "./inline-size.ts";

interface SpoilerProps {
  files: FileCache;
  attachment: Attachment;
  isVisual: boolean;
  children: ComponentChildren;
}

export function Spoiler({ files, attachment, isVisual, children }: SpoilerProps) {
  if (files.revealed.value.has(attachment.fileId)) return <>{children}</>;
  const size = inlineSizeOf(attachment);
  return (
    <button
      type="button"
      class={`spoiler-cover${isVisual ? " is-visual" : ""}`}
      style={isVisual ? inlineBoxStyle(size) : undefined}
      aria-label="Show spoiler"
      onClick={() => files.reveal(attachment.fileId)}
    >
      {/* Only the blurhash's few colours show through: the sender chose to share that much. */}
      {isVisual && <BlurhashPlaceholder blurhash={attachment.blurhash} width={size.width} height={size.height} />}
      <span class="spoiler-word">Spoiler</span>
    </button>
  );
}
