/**
 * Reading one part of an upload: exactly the bytes expected, or nothing. The declared
 * Content-Length is checked before a byte is read, and the stream is cut as soon as it
 * runs past the expected length, so no request can make the server buffer more than a part.
 */
import { AppError } from "./errors.ts";

const wrongPartSize = (expected: number) =>
  new AppError(400, "wrong_part_size", `this part must be exactly ${expected} bytes long`);

export async function readPart(request: Request, expected: number): Promise<Uint8Array> {
  const declared = request.headers.get("Content-Length");
  if (declared !== null && Number(declared) !== expected) throw wrongPartSize(expected);
  if (!request.body) {
    if (expected === 0) return new Uint8Array();
    throw wrongPartSize(expected);
  }
  const bytes = new Uint8Array(expected);
  let length = 0;
  const reader = request.body.getReader();
  // A connection cut mid-part ends the read with an error: the part is as short as any other.
  const next = () => reader.read().catch(() => ({ done: true, value: undefined }) as const);
  for (let chunk = await next(); !chunk.done; chunk = await next()) {
    if (length + chunk.value.byteLength > expected) {
      await reader.cancel();
      throw wrongPartSize(expected);
    }
    bytes.set(chunk.value, length);
    length += chunk.value.byteLength;
  }
  if (length !== expected) throw wrongPartSize(expected);
  return bytes;
}
