/**
 * Attachment encryption for end-to-end encrypted files: a random 256-bit key per
 * file, AES-256-GCM over 64 KiB chunks. Each chunk's nonce carries the file's random
 * prefix, the chunk's index and a final-chunk flag (the STREAM construction), so
 * reordering, dropping, duplicating or truncating chunks fails authentication
 * instead of yielding a different file. The key travels inside the encrypted
 * message; the server stores only these bytes. WebCrypto only: browser, Node, workerd.
 *
 * Layout: "CHF1" | chunk size (u32 BE) | nonce prefix (7 bytes) | chunks, each the
 * ciphertext of up to `chunk size` bytes followed by its 16-byte tag. The header is
 * authenticated as every chunk's additional data.
 */

export const ATTACHMENT_CHUNK_BYTES = 64 * 1024;
const MAGIC = new TextEncoder().encode("CHF1");
const HEADER_BYTES = MAGIC.length + 4 + 7;
const TAG_BYTES = 16;

export class AttachmentCryptoError extends Error {
  override name = "AttachmentCryptoError";
}

export function newAttachmentKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

function nonceFor(prefix: Uint8Array, index: number, isFinal: boolean): Uint8Array<ArrayBuffer> {
  const nonce = new Uint8Array(12);
  nonce.set(prefix, 0);
  new DataView(nonce.buffer).setUint32(7, index);
  nonce[11] = isFinal ? 1 : 0;
  return nonce;
}

const importKey = (key: Uint8Array, usage: "encrypt" | "decrypt") => {
  if (key.byteLength !== 32) throw new AttachmentCryptoError("an attachment key is 32 bytes");
  return crypto.subtle.importKey("raw", new Uint8Array(key), "AES-GCM", false, [usage]);
};

export async function encryptAttachment(key: Uint8Array, plaintext: Uint8Array): Promise<Uint8Array> {
  const aesKey = await importKey(key, "encrypt");
  const chunkCount = Math.max(1, Math.ceil(plaintext.byteLength / ATTACHMENT_CHUNK_BYTES));
  const header = new Uint8Array(HEADER_BYTES);
  header.set(MAGIC, 0);
  new DataView(header.buffer).setUint32(MAGIC.length, ATTACHMENT_CHUNK_BYTES);
  const prefix = crypto.getRandomValues(new Uint8Array(7));
  header.set(prefix, MAGIC.length + 4);
  const output = new Uint8Array(HEADER_BYTES + plaintext.byteLength + chunkCount * TAG_BYTES);
  output.set(header, 0);
  let offset = HEADER_BYTES;
  for (let index = 0; index < chunkCount; index++) {
    const chunk = plaintext.subarray(index * ATTACHMENT_CHUNK_BYTES, (index + 1) * ATTACHMENT_CHUNK_BYTES);
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: nonceFor(prefix, index, index === chunkCount - 1), additionalData: header },
      aesKey,
      new Uint8Array(chunk),
    );
    output.set(new Uint8Array(sealed), offset);
    offset += sealed.byteLength;
  }
  return output;
}

export async function decryptAttachment(key: Uint8Array, sealed: Uint8Array): Promise<Uint8Array> {
  if (sealed.byteLength < HEADER_BYTES + TAG_BYTES || !MAGIC.every((byte, index) => sealed[index] === byte)) {
    throw new AttachmentCryptoError("not an encrypted attachment");
  }
  const header = new Uint8Array(sealed.subarray(0, HEADER_BYTES));
  const chunkBytes = new DataView(header.buffer).getUint32(MAGIC.length);
  if (chunkBytes !== ATTACHMENT_CHUNK_BYTES) throw new AttachmentCryptoError("unknown chunk size");
  const prefix = header.subarray(MAGIC.length + 4);
  const aesKey = await importKey(key, "decrypt");
  const body = sealed.subarray(HEADER_BYTES);
  const sealedChunk = chunkBytes + TAG_BYTES;
  const chunkCount = Math.max(1, Math.ceil(body.byteLength / sealedChunk));
  const parts: Uint8Array[] = [];
  for (let index = 0; index < chunkCount; index++) {
    const chunk = body.subarray(index * sealedChunk, (index + 1) * sealedChunk);
    try {
      const opened = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: nonceFor(prefix, index, index === chunkCount - 1), additionalData: header },
        aesKey,
        new Uint8Array(chunk),
      );
      parts.push(new Uint8Array(opened));
    } catch {
      // A wrong key, a changed byte, or chunks moved, dropped or cut off: never a partial file.
      throw new AttachmentCryptoError(`chunk ${index} failed authentication: the file is damaged or incomplete`);
    }
  }
  const plaintext = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    plaintext.set(part, offset);
    offset += part.byteLength;
  }
  return plaintext;
}
