/**
 * Opens the lightbox on one of a channel's images: every image its loaded messages
 * carry (spoilers only once uncovered), in timeline order, so the arrow keys walk
 * through them. PhotoSwipe and its stylesheet load with the first use.
 */
import type { Attachment } from "../../../../e2ee/index.ts";
import type { Chat } from "../../models/chat.ts";
import { fileKindOf } from "../../models/files/file-kinds.ts";

export function openLightbox(chat: Chat, fileId: string): void {
  const images = channelImages(chat);
  const index = images.findIndex((image) => image.fileId === fileId);
  if (index < 0) return;
  void import("./photoswipe-gallery.ts").then(({ showGallery }) => showGallery(chat.files, images, index));
}

function channelImages(chat: Chat): Attachment[] {
  return chat.entries
    .peek()
    .filter((entry) => !entry.isDeleted)
    .flatMap((entry) => entry.attachments ?? [])
    .filter((attachment) => fileKindOf(attachment.type) === "image")
    .filter((attachment) => !attachment.spoiler || chat.files.revealed.peek().has(attachment.fileId));
}
