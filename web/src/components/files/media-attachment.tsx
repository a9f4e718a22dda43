/**
 * A video or a sound in the timeline, with the browser's own controls. It plays from
 * the decrypted `blob:` URL, so seeking works anywhere once the file is here; until
 * then a video keeps its final size with its blurred first frame.
 */
import type { Attachment } from "../../../../e2ee/index.ts";
import type { FileCache } from "../../models/files/file-cache.ts";
import { sizeInWords } from "../../models/files/upload-words.ts";
import { BlurhashPlaceholder } from "./blurhash-placeholder.tsx";
import { FileIcon } from "./file-icon.tsx";
import { inlineBoxStyle, inlineSizeOf } from "./inline-size.ts";
import { useFile } from "./use-file.ts";

interface MediaAttachmentProps {
  files: FileCache;
  attachment: Attachment;
}

export function VideoAttachment({ files, attachment }: MediaAttachmentProps) {
  const { state, ref } = useFile<HTMLDivElement>(files, attachment);
  const size = inlineSizeOf(attachment);
  return (
    <div ref={ref} class="video-attachment" style={inlineBoxStyle(size)}>
      {state.status === "ready" ? (
        <video src={state.url} controls preload="metadata" aria-label={`Video ${attachment.name}`} />
      ) : (
        <>
          <BlurhashPlaceholder blurhash={attachment.blurhash} width={size.width} height={size.height} />
          <span class={state.status === "failed" ? "file-error" : "file-loading"}>
            {state.status === "failed" ? state.error : `Loading video (${sizeInWords(attachment.size)})…`}
          </span>
        </>
      )}
    </div>
  );
}

export function AudioAttachment({ files, attachment }: MediaAttachmentProps) {
  const { state, ref } = useFile<HTMLDivElement>(files, attachment);
  return (
    <div ref={ref} class="file-card audio-attachment">
      <FileIcon type={attachment.type} />
      <div class="file-card-body">
        <span class="file-name">{attachment.name}</span>
        <span class="file-size">{sizeInWords(attachment.size)}</span>
        {state.status === "ready" && (
          <audio src={state.url} controls preload="metadata" aria-label={`Audio ${attachment.name}`} />
        )}
        {state.status === "failed" && <span class="file-error">{state.error}</span>}
        {(state.status === "loading" || state.status === "idle") && <span class="file-loading">Loading…</span>}
      </div>
    </div>
  );
}
