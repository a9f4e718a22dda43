/**
 * The file a person picked to become a picture, once the browser showed it can draw
 * it; otherwise why not, in words. Any image the browser decodes will do (it is drawn
 * again into a PNG, JPEG or WebP before upload).
 */

/** Larger files are photos far beyond what a 256-pixel picture needs, and slow to decode. */
const PICKED_MAX_BYTES = 25 * 1024 * 1024;

export async function pickedPicture(input: HTMLInputElement): Promise<{ file: File | null; error: string | null }> {
  const file = input.files?.[0] ?? null;
  // Picking the same file again after a cancel must fire `change` again.
  input.value = "";
  if (!file) return { file: null, error: null };
  if (file.size > PICKED_MAX_BYTES)
    return { file: null, error: "that file is too large for a picture: pick one under 25 MB" };
  try {
    const bitmap = await createImageBitmap(file);
    bitmap.close();
  } catch {
    return { file: null, error: "that file is not a picture this browser can read: pick a PNG, JPEG, WebP or GIF" };
  }
  return { file, error: null };
}
