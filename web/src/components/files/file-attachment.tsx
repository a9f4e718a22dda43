/**
 * Any other file: a card with its kind, name and size, and a button that decrypts it
 * and saves it under the name its sender gave it.
 */
import type { Attachment } from "../../../../e2ee/index.ts";
import type { FileCache } from "../../models/files/file-cache.ts";
import { sizeInWords } from "../../models/files/upload-words.ts";
import { FileIcon } from "./file-icon.tsx";
import { useFile } from "./use-file.ts";

interface FileAttachmentProps {
  files: FileCache;
  attachment: Attachment;
}

export function FileAttachment({ files, attachment }: FileAttachmentProps) {
  // Fetched only when asked for: a file card costs nothing until someone wants the file.
  const { state, ref } = useFile<HTMLDivElement>(files, attachment, false);

  async function download() {
    const url = await files.load(attachment).catch(() => null);
    if (url) saveAs(url, attachment.name);
  }

  return (
    <div ref={ref} class="file-card">
      <FileIcon type={attachment.type} />
      <div class="file-card-body">
        <span class="file-name">{attachment.name}</span>
        <span class="file-size">{sizeInWords(attachment.size)}</span>
        {state.status === "failed" && <span class="file-error">{state.error}</span>}
      </div>
      <button
        type="button"
        class="file-download"
        aria-label={`Download ${attachment.name}`}
        disabled={state.status === "loading"}
        onClick={() => void download()}
      >
        {state.status === "loading" ? "Downloading…" : "Download"}
      </button>
    </div>
  );
}

/** Saves a decrypted file under its name: the browser's own download of a link with `download`. */
export function saveAs(url: string, name: string): void {
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
}
