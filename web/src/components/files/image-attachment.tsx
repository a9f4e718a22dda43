/**
 * An image or GIF in the timeline: a box of its final size holding its blurred
 * placeholder, then the image over it once decrypted; a click opens the lightbox, or,
 * after a failure (the network, a changed file), tries once more.
 */
import { useState } from "preact/hooks";
import type { Attachment } from "../../../../e2ee/index.ts";
import type { FileCache } from "../../models/files/file-cache.ts";
import { BlurhashPlaceholder } from "./blurhash-placeholder.tsx";
import { inlineBoxStyle, inlineSizeOf } from "./inline-size.ts";
import { useFile } from "./use-file.ts";

interface ImageAttachmentProps {
  files: FileCache;
  attachment: Attachment;
  onOpen: (fileId: string) => void;
}

export function ImageAttachment({ files, attachment, onOpen }: ImageAttachmentProps) {
  const { state, ref } = useFile<HTMLButtonElement>(files, attachment);
  const [isShown, setShown] = useState(false);
  const size = inlineSizeOf(attachment);
  const url = state.status === "ready" ? state.url : null;
  const isFailed = state.status === "failed";

  return (
    <button
      ref={ref}
      type="button"
      class={`image-attachment${isShown ? " is-loaded" : ""}`}
      style={inlineBoxStyle(size)}
      aria-label={isFailed ? `Try loading image ${attachment.name} again` : `Open image ${attachment.name}`}
      onClick={() => (isFailed ? void files.load(attachment).catch(() => undefined) : onOpen(attachment.fileId))}
    >
      <BlurhashPlaceholder blurhash={attachment.blurhash} width={size.width} height={size.height} />
      {url && (
        <img src={url} alt={attachment.name} width={size.width} height={size.height} onLoad={() => setShown(true)} />
      )}
      {isFailed && <span class="file-error">{state.error}. Click to try again.</span>}
    </button>
  );
}
