/**
 * The files waiting in the composer, as Discord's attachment tray shows them: a card
 * each, with the image (or the file's kind), its name and size, how far its upload
 * got, and what the person can do with it: mark it as a spoiler, remove it (or cancel
 * its upload while it runs), or try again after a refusal.
 */
import type { AttachmentDrafts, DraftFile } from "../../models/files/attachment-drafts.ts";
import { FileIcon } from "./file-icon.tsx";
import { UploadProgress, uploadStatusInWords } from "./upload-progress.tsx";
import "./upload.css";

export function UploadTray({ drafts }: { drafts: AttachmentDrafts }) {
  const files = drafts.files.value;
  if (files.length === 0) return null;
  return (
    <ul class="upload-tray" aria-label="Files to send">
      {files.map((draft) => (
        <UploadCard key={draft.id} draft={draft} drafts={drafts} />
      ))}
    </ul>
  );
}

function UploadCard({ draft, drafts }: { draft: DraftFile; drafts: AttachmentDrafts }) {
  const { upload, previewUrl } = draft;
  const name = upload.name.value;
  const phase = upload.phase.value;
  const isSpoiler = draft.isSpoiler.value;
  const isRunning = phase !== "complete" && phase !== "failed";
  const statusId = `${draft.id}-status`;
  return (
    <li class={`upload-card is-${phase}${isSpoiler ? " is-spoiler" : ""}`} aria-label={name}>
      <div class="upload-preview">
        {previewUrl ? <img src={previewUrl} alt="" /> : <FileIcon type={upload.file.type} />}
        {isSpoiler && <span class="spoiler-word">Spoiler</span>}
      </div>
      <div class="upload-actions">
        <button
          type="button"
          class="upload-action"
          aria-pressed={isSpoiler}
          title={isSpoiler ? "Marked as spoiler: readers click to see it" : "Mark as spoiler"}
          onClick={() => drafts.toggleSpoiler(draft.id)}
        >
          <span aria-hidden="true">{isSpoiler ? "🙈" : "👁"}</span>
          <span class="visually-hidden">Mark as spoiler</span>
        </button>
        <button
          type="button"
          class="upload-action is-danger"
          title={isRunning ? "Cancel upload" : "Remove"}
          onClick={() => drafts.remove(draft.id)}
        >
          <span aria-hidden="true">✕</span>
          <span class="visually-hidden">{isRunning ? "Cancel upload" : "Remove"}</span>
        </button>
      </div>
      <p class="upload-name" title={name}>
        {name}
      </p>
      <p id={statusId} class="upload-status" role={phase === "failed" ? "alert" : undefined}>
        {uploadStatusInWords(upload)}
      </p>
      {phase === "failed" ? (
        <button type="button" class="link-button upload-retry" onClick={() => upload.retry()}>
          Try again
        </button>
      ) : (
        <UploadProgress upload={upload} />
      )}
    </li>
  );
}
