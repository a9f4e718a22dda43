/**
 * An image made ready to send (docs/files.md, "A file's way"): decoded and drawn again
 * through a canvas, so EXIF (GPS, camera serial), XMP, comments and every other block
 * the original carried stay on the sender's device; measured, and summed up in a
 * blurhash so a reader's timeline keeps the image's place while it loads.
 *
 * - JPEG stays JPEG and PNG stays PNG; WebP stays WebP where the browser can write it.
 *   Other still images the browser decodes (AVIF, BMP, ICO…) become WebP, or PNG where
 *   WebP cannot be written: the caller should name the file after the returned type.
 *   An animated WebP or APNG keeps only its first frame.
 * - Images longer than IMAGE_EDGE_MAX pixels on a side are scaled down to it: larger
 *   than any screen shows, and a 50-megapixel photo would otherwise cost a reader
 *   ~200 MB of memory to draw.
 * - A GIF keeps its bytes (re-encoding would lose its animation): its dimensions and
 *   blurhash come from its first frame. GIFs carry no EXIF; a comment block, if any,
 *   stays in it.
 * - Anything the browser cannot decode (not an image, SVG, HEIC outside Safari, a
 *   damaged file) is null: the caller sends it as a plain file, never shown inline.
 */
import { encode as encodeBlurhash } from "blurhash";

export interface PreparedImage {
  bytes: Uint8Array;
  type: string;
  width: number;
  height: number;
  blurhash: string;
}

/** The longest side an image is sent at (Discord shows at most ~550 px; a lightbox a screen). */
export const IMAGE_EDGE_MAX = 4096;
/** Lossy re-encoding's quality: indistinguishable from the original at a glance. */
const LOSSY_QUALITY = 0.9;
/** The blurhash is computed on at most this many pixels a side: it only keeps ~4×3 colours. */
const BLURHASH_EDGE = 32;

/** SVG is an image but can carry script, and canvases cannot strip it: sent as a file. */
const isStillImageType = (type: string) => type.startsWith("image/") && type !== "image/svg+xml";

export async function prepareImage(file: File): Promise<PreparedImage | null> {
  const type = isStillImageType(file.type) ? file.type : await sniffedImageType(file);
  if (!type) return null;
  let bitmap: ImageBitmap;
  try {
    // Orientation from EXIF is applied here, so the redrawn image stands the right way up without it.
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return null;
  }
  try {
    if (bitmap.width === 0 || bitmap.height === 0) return null;
    if (type === "image/gif") {
      return {
        bytes: new Uint8Array(await file.arrayBuffer()),
        type: "image/gif",
        width: bitmap.width,
        height: bitmap.height,
        blurhash: blurhashOf(bitmap),
      };
    }
    const scale = Math.min(1, IMAGE_EDGE_MAX / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d");
    if (!context) return null;
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, width, height);
    const wanted = encodedTypeFor(type);
    const blob = await canvas.convertToBlob({ type: wanted, quality: LOSSY_QUALITY });
    return {
      bytes: new Uint8Array(await blob.arrayBuffer()),
      // A browser that cannot write the wanted type writes PNG: say what it wrote.
      type: blob.type || "image/png",
      width,
      height,
      blurhash: blurhashOf(bitmap),
    };
  } catch {
    return null;
  } finally {
    bitmap.close();
  }
}

/**
 * A photo whose type the system did not say (a drop from some file managers, an
 * extension the browser does not know) is still a photo: told by its first bytes, so
 * it is stripped like any other instead of travelling as a file with its EXIF.
 */
async function sniffedImageType(file: File): Promise<string | null> {
  if (file.type !== "" && file.type !== "application/octet-stream") return null;
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  const startsWith = (bytes: number[], at = 0) => bytes.every((byte, index) => head[at + index] === byte);
  if (startsWith([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith([0x89, 0x50, 0x4e, 0x47])) return "image/png";
  if (startsWith([0x47, 0x49, 0x46, 0x38])) return "image/gif";
  if (startsWith([0x52, 0x49, 0x46, 0x46]) && startsWith([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}

function encodedTypeFor(type: string): string {
  if (type === "image/jpeg" || type === "image/png") return type;
  return "image/webp";
}

/** A blurhash of the image drawn small: 4 components along its longer side, 3 along the other. */
function blurhashOf(bitmap: ImageBitmap): string {
  const scale = Math.min(1, BLURHASH_EDGE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext("2d");
  if (!context) throw new Error("no 2D canvas");
  context.drawImage(bitmap, 0, 0, width, height);
  const pixels = context.getImageData(0, 0, width, height).data;
  const isWide = width >= height;
  return encodeBlurhash(pixels, width, height, isWide ? 4 : 3, isWide ? 3 : 4);
}
