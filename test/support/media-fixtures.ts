/**
 * Files for the file journeys, made on the spot rather than stored: images drawn
 * and videos recorded by Chromium itself, a JPEG given an EXIF block with GPS
 * coordinates (built by hand from the TIFF layout, so nothing else can strip or add
 * to it), and a reader of a JPEG's segments to tell whether any metadata survived.
 */
import type { Page } from "playwright-core";

export interface FixtureFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** An image of `width`×`height` drawn in the page: two colours, so its blurhash is not flat. */
export async function drawnImage(
  page: Page,
  name: string,
  mimeType: "image/png" | "image/jpeg",
  width: number,
  height: number,
  colors: [string, string],
): Promise<FixtureFile> {
  const base64 = await page.evaluate(
    async ({ mimeType, width, height, colors }) => {
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext("2d")!;
      context.fillStyle = colors[0];
      context.fillRect(0, 0, width, height);
      context.fillStyle = colors[1];
      context.fillRect(width / 4, height / 4, width / 2, height / 2);
      const blob = await canvas.convertToBlob({ type: mimeType, quality: 0.9 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = "";
      for (const byte of bytes) binary += String.fromCharCode(byte);
      return btoa(binary);
    },
    { mimeType, width, height, colors },
  );
  return { name, mimeType, buffer: Buffer.from(base64, "base64") };
}

/**
 * A short WebM recorded in the page (MediaRecorder over a canvas that changes colour),
 * long enough to seek into.
 */
export async function recordedVideo(page: Page, name: string, durationMs: number): Promise<FixtureFile> {
  const base64 = await page.evaluate(async (durationMs) => {
    const canvas = document.createElement("canvas");
    canvas.width = 320;
    canvas.height = 180;
    const context = canvas.getContext("2d")!;
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: "video/webm;codecs=vp8" });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start(100);
    const startedAt = performance.now();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const elapsed = performance.now() - startedAt;
        context.fillStyle = `hsl(${Math.round(elapsed / 5) % 360} 70% 50%)`;
        context.fillRect(0, 0, 320, 180);
        if (elapsed < durationMs) return;
        clearInterval(timer);
        resolve();
      }, 40);
    });
    recorder.stop();
    await stopped;
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  }, durationMs);
  return { name, mimeType: "video/webm", buffer: Buffer.from(base64, "base64") };
}

/** GPS coordinates a photo might carry: latitude 52°31'12" N, longitude 13°24'36" E. */
const GPS = { latitude: [52, 31, 12], longitude: [13, 24, 36] } as const;

/**
 * The JPEG with an APP1 "Exif" segment right after its start marker: a big-endian TIFF
 * whose first IFD points to a GPS IFD (GPSLatitudeRef, GPSLatitude, GPSLongitudeRef,
 * GPSLongitude), as a phone camera writes it.
 */
export function withGpsExif(jpeg: FixtureFile): FixtureFile {
  const tiff = Buffer.alloc(128);
  tiff.write("MM", 0, "latin1");
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4); // IFD0 at 8
  tiff.writeUInt16BE(1, 8); // one entry: the GPS IFD's offset
  writeEntry(tiff, 10, 0x8825, 4, 1, 26);
  tiff.writeUInt32BE(0, 22); // no next IFD
  tiff.writeUInt16BE(4, 26); // GPS IFD at 26: four entries
  writeEntry(tiff, 28, 0x0001, 2, 2, Buffer.from("N\0\0\0", "latin1").readUInt32BE(0));
  writeEntry(tiff, 40, 0x0002, 5, 3, 80);
  writeEntry(tiff, 52, 0x0003, 2, 2, Buffer.from("E\0\0\0", "latin1").readUInt32BE(0));
  writeEntry(tiff, 64, 0x0004, 5, 3, 104);
  tiff.writeUInt32BE(0, 76);
  GPS.latitude.forEach((value, index) => writeRational(tiff, 80 + index * 8, value));
  GPS.longitude.forEach((value, index) => writeRational(tiff, 104 + index * 8, value));
  const body = Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(body.length + 2, 2);
  const buffer = Buffer.concat([jpeg.buffer.subarray(0, 2), header, body, jpeg.buffer.subarray(2)]);
  return { ...jpeg, buffer };
}

function writeEntry(tiff: Buffer, at: number, tag: number, type: number, count: number, value: number): void {
  tiff.writeUInt16BE(tag, at);
  tiff.writeUInt16BE(type, at + 2);
  tiff.writeUInt32BE(count, at + 4);
  tiff.writeUInt32BE(value, at + 8);
}

function writeRational(tiff: Buffer, at: number, value: number): void {
  tiff.writeUInt32BE(value, at);
  tiff.writeUInt32BE(1, at + 4);
}

/**
 * The markers of a JPEG's segments before its image data (APPn blocks carry EXIF, XMP,
 * ICC profiles, comments). Throws when the bytes are not a JPEG.
 */
export function jpegSegments(jpeg: Buffer): { marker: number; data: Buffer }[] {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error("not a JPEG: no start-of-image marker");
  const segments: { marker: number; data: Buffer }[] = [];
  let offset = 2;
  while (offset + 4 <= jpeg.length) {
    if (jpeg[offset] !== 0xff) throw new Error(`not a JPEG segment at byte ${offset}`);
    const marker = jpeg[offset + 1]!;
    const length = jpeg.readUInt16BE(offset + 2);
    segments.push({ marker, data: jpeg.subarray(offset + 4, offset + 2 + length) });
    if (marker === 0xda) break; // start of scan: the image data follows
    offset += 2 + length;
  }
  return segments;
}

/** Whether any segment of the JPEG is an EXIF block (APP1 beginning "Exif"). */
export const hasExif = (jpeg: Buffer) =>
  jpegSegments(jpeg).some((segment) => segment.marker === 0xe1 && segment.data.subarray(0, 4).toString() === "Exif");
