/**
 * Moving a file's bytes through the public routes, as the web app does: create the
 * upload with its size, send 1 MiB parts one after another at the offset the server
 * holds (docs/files.md, "A file's way"), and read it back with `GET /api/files/:id`.
 * The bytes are random: the server cannot tell them from a sealed file, and sealing
 * is measured on its own, in the browser (encryption-rate.ts).
 */
import { randomFillSync } from "node:crypto";
import { UPLOAD_PART_BYTES } from "../../protocol/index.ts";
import type { Account, ChatalotApi } from "../chatalot-api.ts";

export interface Uploaded {
  id: string;
  bytes: number;
  /** Who uploaded it: the one person who may read it back before a message carries it. */
  owner: Account;
}

/** Uploads `bytes` to `channelId` as `account`; resolves once the last part is stored. */
export async function upload(
  api: ChatalotApi,
  account: Account,
  channelId: string,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<Uploaded> {
  const { upload } = await api.request<{ upload: { id: string } }>("POST", `/api/channels/${channelId}/uploads`, {
    body: { size: bytes.byteLength },
    account,
  });
  for (let offset = 0; offset < bytes.byteLength; offset += UPLOAD_PART_BYTES) {
    const response = await fetch(new URL(`/api/uploads/${upload.id}`, api.baseUrl), {
      method: "PATCH",
      headers: {
        Authorization: `Bearer ${account.accessToken}`,
        "Content-Type": "application/octet-stream",
        "Upload-Offset": String(offset),
      },
      body: bytes.subarray(offset, offset + UPLOAD_PART_BYTES),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`PATCH at ${offset} of upload ${upload.id} answered ${response.status}`);
  }
  return { id: upload.id, bytes: bytes.byteLength, owner: account };
}

/** Reads a file back whole, as its owner; resolves with its length. */
export async function download(api: ChatalotApi, file: Uploaded): Promise<number> {
  const response = await fetch(new URL(`/api/files/${file.id}`, api.baseUrl), {
    headers: { Authorization: `Bearer ${file.owner.accessToken}` },
  });
  if (!response.ok) throw new Error(`GET /api/files/${file.id} answered ${response.status}`);
  let length = 0;
  const reader = response.body!.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) length += read.value.byteLength;
  if (length !== file.bytes) throw new Error(`file ${file.id} came back with ${length} of ${file.bytes} bytes`);
  return length;
}

/** `count` random byte arrays of `size` (randomFillSync: crypto.getRandomValues stops at 64 KiB). */
export function randomFiles(count: number, size: number): Uint8Array<ArrayBuffer>[] {
  return Array.from({ length: count }, () => randomFillSync(new Uint8Array(size)));
}
