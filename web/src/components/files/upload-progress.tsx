/**
 * How far a file's upload got, as a bar and in words: encrypting, the share the
 * server holds, waiting for the connection to come back, ready, or why it failed.
 */
import { sentence } from "../sentence.ts";
import type { FileUpload } from "../../models/files/upload.ts";
import { sizeInWords } from "../../models/files/upload-words.ts";

export function UploadProgress({ upload }: { upload: FileUpload }) {
  const phase = upload.phase.value;
  if (phase === "complete" || phase === "failed" || phase === "cancelled") return null;
  const percent = Math.round(upload.progress.value * 100);
  return (
    <progress
      class={`upload-bar${phase === "waiting" ? " is-waiting" : ""}`}
      max={100}
      // An image being re-encoded and encrypted has no share to show yet: the bar moves without one.
      value={phase === "preparing" ? undefined : percent}
      aria-label={`Upload of ${upload.name.value}`}
    />
  );
}

export function uploadStatusInWords(upload: FileUpload): string {
  const size = sizeInWords(upload.file.size);
  const percent = `${Math.floor(upload.progress.value * 100)}%`;
  switch (upload.phase.value) {
    case "preparing":
      return `${size} · encrypting…`;
    case "uploading":
      return `${size} · ${percent}`;
    case "waiting":
      return `${size} · ${percent} · waiting for the connection…`;
    case "complete":
      return size;
    case "failed":
      return sentence(upload.problem.value ?? "the upload failed");
    case "cancelled":
      return "Cancelled";
  }
}
