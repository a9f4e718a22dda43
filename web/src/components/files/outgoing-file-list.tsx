/**
 * The files of the person's own message on its way: each with its thumbnail, name
 * and upload progress, shown at once in the timeline as Discord does, and a way to
 * cancel the message while its files upload. Gone once the message is stored: from
 * then on the message shows its files as everyone sees them.
 */
import type { Chat } from "../../models/chat.ts";
import type { TimelineEntry } from "../../models/timeline.ts";
import { FileIcon } from "./file-icon.tsx";
import { UploadProgress, uploadStatusInWords } from "./upload-progress.tsx";
import "./upload.css";

export function OutgoingFileList({ chat, entry }: { chat: Chat; entry: TimelineEntry }) {
  const files = chat.outgoingFiles.of(entry.clientId);
  if (files.length === 0 || entry.state === "stored") return null;
  const isUploading = files.some(({ upload }) => upload.phase.value !== "complete" && upload.phase.value !== "failed");
  return (
    <div class="outgoing-files">
      <ul aria-label="Files being sent">
        {files.map(({ upload, previewUrl, isSpoiler }, index) => (
          <li key={index} class={`outgoing-file is-${upload.phase.value}`}>
            <div class="outgoing-thumbnail">
              {previewUrl && !isSpoiler ? <img src={previewUrl} alt="" /> : <FileIcon type={upload.file.type} />}
            </div>
            <div class="outgoing-file-body">
              <span class="outgoing-file-name">{upload.name.value}</span>
              <span class="outgoing-file-status">{uploadStatusInWords(upload)}</span>
              <UploadProgress upload={upload} />
            </div>
          </li>
        ))}
      </ul>
      {isUploading && entry.state === "pending" && (
        <button type="button" class="link-button" onClick={() => chat.discard(entry.clientId)}>
          Cancel upload
        </button>
      )}
    </div>
  );
}
