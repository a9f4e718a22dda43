/**
 * Fixtures for files that messages carry (docs/files.md): uploads made through the
 * real routes, sends that name them, downloads, and what the file store holds, as
 * the server's R2 binding sees it.
 */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { UPLOAD_PART_BYTES, type ServerFrame, type UploadView } from "../../protocol/index.ts";
import { as, clientId, expectStatus, request, text, type Person, type TestSocket } from "./fixtures.ts";

/** Random bytes, as sealed ones look (getRandomValues fills at most 64 KiB at a time). */
export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let start = 0; start < length; start += 65_536) crypto.getRandomValues(bytes.subarray(start, start + 65_536));
  return bytes;
}

/** One part at `offset`, as a client's PATCH sends it. */
export function sendPart(person: Person, uploadId: string, offset: number, bytes: Uint8Array): Promise<Response> {
  return request(`/api/uploads/${uploadId}`, {
    method: "PATCH",
    headers: {
      Authorization: `Bearer ${person.token}`,
      "Upload-Offset": String(offset),
      "Content-Type": "application/octet-stream",
    },
    body: bytes,
  });
}

/** A new upload of `size` sealed bytes in the channel, nothing sent yet. */
export async function startUpload(person: Person, channelId: string, size: number): Promise<string> {
  const created = await expectStatus(await as(person, "POST", `/api/channels/${channelId}/uploads`, { size }), 201);
  return ((await created.json()) as { upload: UploadView }).upload.id;
}

/** A complete upload of `bytes` (random ones by default), sent part after part. */
export async function upload(person: Person, channelId: string, bytes = randomBytes(300)): Promise<string> {
  const id = await startUpload(person, channelId, bytes.length);
  for (let offset = 0; offset < bytes.length; offset += UPLOAD_PART_BYTES) {
    await expectStatus(await sendPart(person, id, offset, bytes.subarray(offset, offset + UPLOAD_PART_BYTES)), 200);
  }
  return id;
}

export const download = (person: Person, fileId: string) => as(person, "GET", `/api/files/${fileId}`);

/** The status a download of the file answers the person (its bytes left unread). */
export async function downloadStatus(person: Person, fileId: string): Promise<number> {
  const response = await download(person, fileId);
  await response.body?.cancel();
  return response.status;
}

/** The keys of the upload's parts the store holds. */
export async function storedParts(uploadId: string): Promise<string[]> {
  const listed = await env.UPLOADS_BUCKET.list({ prefix: `files/${uploadId}/` });
  return listed.objects.map((object) => object.key);
}

/** Waits until `condition` holds (a deletion's files go in the background), or fails. */
export async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) expect.fail(`still not so after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export type SendAnswer = Extract<ServerFrame, { type: "ack" }> | Extract<ServerFrame, { type: "error" }>;

/** Sends a message carrying `attachments` (a caption as payload) without waiting. */
export function sendFiles(socket: TestSocket, attachments: string[], id = clientId()): string {
  socket.send({ type: "send", clientId: id, payload: text("a caption"), attachments });
  return id;
}

/** The ack or error that answers the send with client id `id`. */
export async function answerTo(socket: TestSocket, id: string): Promise<SendAnswer> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const index = socket.frames.findIndex(
      (frame) => (frame.type === "ack" || frame.type === "error") && frame.clientId === id,
    );
    if (index >= 0) return socket.frames.splice(index, 1)[0] as SendAnswer;
    if (Date.now() > deadline) throw new Error(`no answer to ${id}: ${JSON.stringify(socket.frames)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sends and waits for the answer. */
export const sendAndAnswer = (socket: TestSocket, attachments: string[], id?: string) =>
  answerTo(socket, sendFiles(socket, attachments, id));
