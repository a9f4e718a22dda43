/** Uploading through the real routes, for the upload and download tests. */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { UPLOAD_PART_BYTES, type UploadView } from "../../protocol/index.ts";
import { as, expectStatus, request, type Person } from "./fixtures.ts";

/** Bytes that differ at every offset, so a wrong slice cannot pass for the right one. */
export function sealedBytes(size: number, seed = 7): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index++) bytes[index] = (index * 31 + seed + (index >> 8)) & 0xff;
  return bytes;
}

export function createUpload(person: Person, channelId: string, size: number, bindings: object = env) {
  return request(
    `/api/channels/${channelId}/uploads`,
    {
      method: "POST",
      headers: { Authorization: `Bearer ${person.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ size }),
    },
    bindings,
  );
}

export async function newUpload(person: Person, channelId: string, size: number): Promise<UploadView> {
  const response = await expectStatus(await createUpload(person, channelId, size), 201);
  return ((await response.json()) as { upload: UploadView }).upload;
}

export function sendPart(person: Person, uploadId: string, offset: number, part: Uint8Array<ArrayBuffer>) {
  return request(`/api/uploads/${uploadId}`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${person.token}`, "Upload-Offset": String(offset) },
    body: part,
  });
}

/** Sends every part of `bytes` in order; answers the completed upload. */
export async function uploadAll(person: Person, upload: UploadView, bytes: Uint8Array<ArrayBuffer>) {
  let view = upload;
  for (let offset = 0; offset < bytes.length; offset += UPLOAD_PART_BYTES) {
    const part = bytes.slice(offset, offset + UPLOAD_PART_BYTES);
    const response = await expectStatus(await sendPart(person, upload.id, offset, part), 200);
    view = ((await response.json()) as { upload: UploadView }).upload;
  }
  expect(view.state).toBe("complete");
  return view;
}

export const download = (person: Person, fileId: string, headers: Record<string, string> = {}) =>
  request(`/api/files/${fileId}`, { headers: { Authorization: `Bearer ${person.token}`, ...headers } });

export const uploadStatus = (person: Person, uploadId: string) => as(person, "GET", `/api/uploads/${uploadId}`);

/** The keys the R2 bucket holds under an upload's folder. */
export async function storedKeys(uploadId: string): Promise<string[]> {
  const listed = await env.UPLOADS_BUCKET.list({ prefix: `files/${uploadId}/` });
  return listed.objects.map((object) => object.key).sort();
}
