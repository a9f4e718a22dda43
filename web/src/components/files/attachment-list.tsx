/**
 * The files a message carries, below its text and in the order its sender chose:
 * images and GIFs inline, video and audio with their controls, anything else as a
 * card to download; each behind a cover when its sender marked it a spoiler.
 */
import type { Attachment } from "../../../../e2ee/index.ts";
import type { Chat } from "../../models/chat.ts";
import { fileKindOf } from "../../models/files/file-kinds.ts";
import { FileAttachment } from "./file-attachment.tsx";
import "./files.css";
import { ImageAttachment } from "./image-attachment.tsx";
import { openLightbox } from "./lightbox.ts";
import { AudioAttachment, VideoAttachment } from "./media-attachment.tsx";
import { Spoiler } from "./spoiler.tsx";

export function AttachmentList({ chat, attachments }: { chat: Chat; attachments: readonly Attachment[] }) {
  return (
    <ul class="attachment-list" aria-label="Files">
      {attachments.map((attachment) => (
        <li key={attachment.fileId}>
          <AttachmentView chat={chat} attachment={attachment} />
        </li>
      ))}
    </ul>
  );
}

function AttachmentView({ chat, attachment }: { chat: Chat; attachment: Attachment }) {
  const files = chat.files;
  const kind = fileKindOf(attachment.type);
  const shown =
    kind === "image" ? (
      <ImageAttachment files={files} attachment={attachment} onOpen={(fileId) => openLightbox(chat, fileId)} />
    ) : kind === "video" ? (
      <VideoAttachment files={files} attachment={attachment} />
    ) : kind === "audio" ? (
      <AudioAttachment files={files} attachment={attachment} />
    ) : (
      <FileAttachment files={files} attachment={attachment} />
    );
  if (!attachment.spoiler) return shown;
  return (
    <Spoiler files={files} attachment={attachment} isVisual={kind === "image" || kind === "video"}>
      {shown}
    </Spoiler>
  );
}
