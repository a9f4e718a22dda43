/**
 * An uploaded picture's bytes, checked before anything is stored: at most
 * PICTURE_MAX_BYTES, and a PNG, JPEG, WebP or GIF by its first bytes, of the type its
 * Content-Type names. The type served later is the one told by the bytes, so a
 * browser never renders as an image something that is not one (and never SVG, which
 * can carry script).
 */
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { PICTURE_MAX_BYTES, PICTURE_TYPES, type PictureType } from "../protocol/index.ts";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";

/** Each type's signature: bytes expected at an offset (null: any byte, as WebP's RIFF length). */
const SIGNATURES: Record<PictureType, (number | null)[][]> = {
  "image/png": [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  "image/jpeg": [[0xff, 0xd8, 0xff]],
  "image/gif": [ascii("GIF87a"), ascii("GIF89a")],
  "image/webp": [[...ascii("RIFF"), null, null, null, null, ...ascii("WEBP")]],
};

function ascii(text: string): number[] {
  return [...text].map((character) => character.charCodeAt(0));
}

/** The picture type the bytes start with, or null for anything else. */
export function pictureTypeOf(bytes: Uint8Array): PictureType | null {
  const matches = (signature: (number | null)[]) =>
    bytes.length > signature.length && signature.every((byte, index) => byte === null || bytes[index] === byte);
  return PICTURE_TYPES.find((type) => SIGNATURES[type].some(matches)) ?? null;
}

export const invalidPicture = (why: string) =>
  new AppError(
    400,
    "invalid_picture",
    `${why}: send a PNG, JPEG, WebP or GIF of at most ${PICTURE_MAX_BYTES} bytes as the body, with its Content-Type`,
  );

/** Refuses a body past PICTURE_MAX_BYTES as it arrives (by Content-Length, or while streaming). */
export const limitPictureSize = bodyLimit({
  maxSize: PICTURE_MAX_BYTES,
  onError: () => {
    throw invalidPicture("the picture is too large");
  },
});

/** The request's picture: its bytes and their type, or 400 `invalid_picture`. After limitPictureSize. */
export async function readPicture(c: Context<AppEnv>): Promise<{ type: PictureType; bytes: Uint8Array }> {
  const declared = c.req.header("Content-Type")?.split(";")[0]!.trim().toLowerCase();
  if (!PICTURE_TYPES.includes(declared as PictureType)) throw invalidPicture("that is not a picture type");
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const type = pictureTypeOf(bytes);
  if (!type) throw invalidPicture("the bytes are not a picture");
  if (type !== declared) throw invalidPicture(`the bytes are ${type}, not ${declared}`);
  return { type, bytes };
}
