/**
 * A video or a sound in the timeline, with the browser's own controls. It plays from
 * the decrypted `blob:` URL, so seeking works anywhere once the file is here; until
 * then a video keeps its final size with its blurred first frame. A file is fetched
 * whole before it plays, so larger ones wait for the reader to ask.
 */
import { useState } from "preact/hooks";
import type { Attachment } from "../../../../e2ee/index.ts";
import type { FileCache } from "../../models/files/file-cache.ts";
import { sizeInWords } from "../../models/files/upload-words.ts";
import { BlurhashPlaceholder } from "./blurhash-placeholder.tsx";
import { FileIcon } from "./file-icon.tsx";
import { inlineBoxStyle, inlineSizeOf } from "./inline-size.ts";
import { useFile } from "./use-file.ts";

/** Media up to this size load as they come into view; larger ones on "Play" (a 25 MB video is seconds of a slow line). */
export const MEDIA_AUTOLOAD_BYTES_MAX = 8 * 1024 * 1024;

interface MediaAttachmentProps {
  files: FileCache;
  attachment: Attachment;
}

export function VideoAttachment({ files, attachment }: MediaAttachmentProps) {
  const [asked, setAsked] = useState<"on view" | "on play" | null>(
    attachment.size <= MEDIA_AUTOLOAD_BYTES_MAX ? "on view" : null,
  );
  const isAsked = asked !== null;
  const { state, ref } = useFile<HTMLDivElement>(files, attachment, isAsked);
  const size = inlineSizeOf(attachment);
  return (
    <div ref={ref} class="video-attachment" style={inlineBoxStyle(size)}>
      {state.status === "ready" ? (
        <video
          src={state.url}
          controls
          preload="metadata"
          autoPlay={asked === "on play"}
          aria-label={`Video ${attachment.name}`}
        />
      ) : (
        <>
          <BlurhashPlaceholder blurhash={attachment.blurhash} width={size.width} height={size.height} />
          {state.status === "failed" ? (
            <span class="file-error">
              {state.error}.{" "}
              <button
                type="button"
                class="link-button"
                onClick={() => void files.load(attachment).catch(() => undefined)}
              >
                Try again
              </button>
            </span>
          ) : isAsked ? (
            <span class="file-loading">Loading video ({sizeInWords(attachment.size)})…</span>
          ) : (
            <button type="button" class="media-play" onClick={() => setAsked("on play")}>
              Play video ({sizeInWords(attachment.size)})
            </button>
          )}
        </>
      )}
    </div>
  );
}

export function AudioAttachment({ files, attachment }: MediaAttachmentProps) {
  const [asked, setAsked] = useState<"on view" | "on play" | null>(
    attachment.size <= MEDIA_AUTOLOAD_BYTES_MAX ? "on view" : null,
  );
  const isAsked = asked !== null;
  const { state, ref } = useFile<HTMLDivElement>(files, attachment, isAsked);
  return (
    <div ref={ref} class="file-card audio-attachment">
      <FileIcon type={attachment.type} />
      <div class="file-card-body">
        <span class="file-name">{attachment.name}</span>
        <span class="file-size">{sizeInWords(attachment.size)}</span>
        {state.status === "ready" && (
          <audio
            src={state.url}
            controls
            preload="metadata"
            autoPlay={asked === "on play"}
            aria-label={`Audio ${attachment.name}`}
          />
        )}
        {state.status === "failed" && <span class="file-error">{state.error}</span>}
        {!isAsked && (
          <button
            type="button"
            class="small media-play-audio"
            aria-label={`Play ${attachment.name}`}
            onClick={() => setAsked("on play")}
          >
            Play
          </button>
        )}
        {isAsked && (state.status === "loading" || state.status === "idle") && (
          <span class="file-loading">Loading…</span>
        )}
      </div>
    </div>
  );
}
