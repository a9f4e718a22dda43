/**
 * The size an image or video takes in the timeline: its own, scaled down (never up)
 * to fit the box Discord gives one, keeping its aspect ratio from the width and
 * height its sender sealed, so its place is right before a byte of it arrives.
 */
import type { Attachment } from "../../../../e2ee/index.ts";

export const INLINE_WIDTH_MAX = 400;
export const INLINE_HEIGHT_MAX = 300;
/** A file sealed without dimensions (e.g. a video its sender could not measure): a 16:9 box. */
const UNKNOWN_SIZE = { width: 400, height: 225 };

export function inlineSizeOf(attachment: Pick<Attachment, "width" | "height">): { width: number; height: number } {
  const { width, height } =
    attachment.width && attachment.height ? { width: attachment.width, height: attachment.height } : UNKNOWN_SIZE;
  const scale = Math.min(1, INLINE_WIDTH_MAX / width, INLINE_HEIGHT_MAX / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The box's style: a fixed width that gives way on a narrow screen, the height following the ratio. */
export function inlineBoxStyle(size: { width: number; height: number }) {
  return { width: `${size.width}px`, aspectRatio: `${size.width} / ${size.height}` };
}
