/**
 * How a file is shown, by the type its sender sealed: the formats browsers draw or play
 * inline, named one by one. A decrypted file becomes a `blob:` URL of this origin, so an
 * unlisted type (HTML, SVG, which can carry script, or anything new) is only ever a file
 * to download, never something the page or a tab opened on the URL could render.
 */
export type FileKind = "image" | "video" | "audio" | "file";

const INLINE_TYPES: Record<string, FileKind> = {
  "image/png": "image",
  "image/jpeg": "image",
  "image/gif": "image",
  "image/webp": "image",
  "image/avif": "image",
  "image/bmp": "image",
  "video/mp4": "video",
  "video/webm": "video",
  "video/ogg": "video",
  "video/quicktime": "video",
  "audio/mpeg": "audio",
  "audio/mp4": "audio",
  "audio/x-m4a": "audio",
  "audio/aac": "audio",
  "audio/ogg": "audio",
  "audio/opus": "audio",
  "audio/wav": "audio",
  "audio/x-wav": "audio",
  "audio/webm": "audio",
  "audio/flac": "audio",
};

/** The type without parameters ("video/webm;codecs=vp8" is "video/webm"), lower case. */
const bareType = (type: string) => type.split(";")[0]!.trim().toLowerCase();

export function fileKindOf(type: string): FileKind {
  return INLINE_TYPES[bareType(type)] ?? "file";
}

/** The decrypted blob's type: its own for what is shown inline, plain bytes for anything else. */
export function blobTypeOf(type: string): string {
  return fileKindOf(type) === "file" ? "application/octet-stream" : bareType(type);
}
