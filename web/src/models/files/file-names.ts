/**
 * The name a file is sent under: as the person's device named it, without what a
 * sealed attachment refuses (slashes, control characters, more than 255 characters),
 * and named after its type when the page re-encoded it (a BMP sent as WebP is
 * `scan.webp`, so the reader's download opens).
 */

const NAME_MAX_CHARACTERS = 255;
const EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
};

export function fileNameFor(original: string, originalType: string, sentType: string): string {
  let name = original.replace(/[\\/\u0000-\u001f\u007f]/g, "_").trim() || "file";
  const extension = EXTENSIONS[sentType];
  if (extension && sentType !== originalType) {
    const dot = name.lastIndexOf(".");
    name = `${dot > 0 ? name.slice(0, dot) : name}.${extension}`;
  }
  return shorten(name);
}

/** Keeps the extension when a name must be cut short (the limit counts UTF-16 units, as the schema does). */
function shorten(name: string): string {
  if (name.length <= NAME_MAX_CHARACTERS) return name;
  const dot = name.lastIndexOf(".");
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
  const stem = [...name.slice(0, name.length - extension.length)];
  while (stem.join("").length + extension.length > NAME_MAX_CHARACTERS) stem.pop();
  return stem.join("") + extension;
}
