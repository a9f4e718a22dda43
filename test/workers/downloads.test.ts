/**
 * Downloads through GET /api/files/:id: the ciphertext back byte for byte, to whoever
 * may read the channel's history, with the headers that keep the origin from ever
 * rendering it, one Range, and conditional requests.
 */
import { describe, expect, it } from "vitest";
import { as, clientId, connect, createChannel, errorCode, expectStatus, register, text, unique } from "./fixtures.ts";
import { download, newUpload, sealedBytes, uploadAll } from "./uploads-fixtures.ts";
import type { Person } from "./fixtures.ts";

const MiB = 1024 * 1024;

/** alice uploads `bytes` to a channel bob is in, and sends a message carrying the file. */
async function sharedFile(bytes: Uint8Array<ArrayBuffer>) {
  const alice = await register(unique("alice"));
  const bob = await register(unique("bob"));
  const channel = await createChannel(alice, bob);
  const upload = await newUpload(alice, channel.id, bytes.length);
  await uploadAll(alice, upload, bytes);
  const socket = await connect(alice, channel.id);
  const id = clientId();
  socket.send({ type: "send", clientId: id, payload: text("a file"), attachments: [upload.id] });
  await socket.next("ack", (frame) => frame.clientId === id);
  socket.close();
  return { alice, bob, channel, fileId: upload.id };
}

const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

describe("downloads", { timeout: 30_000 }, () => {
  it("bob downloads the file alice sent, byte for byte, as bytes the origin never renders", async () => {
    const bytes = sealedBytes(2 * MiB + 77);
    const { bob, fileId } = await sharedFile(bytes);
    const response = await expectStatus(await download(bob, fileId), 200);
    expect(
      Object.fromEntries(
        [
          "content-type",
          "content-disposition",
          "x-content-type-options",
          "content-security-policy",
          "cache-control",
          "etag",
          "accept-ranges",
          "content-length",
        ].map((name) => [name, response.headers.get(name)]),
      ),
    ).toEqual({
      "content-type": "application/octet-stream",
      "content-disposition": "attachment",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cache-control": "private, max-age=31536000, immutable",
      etag: `"${fileId}"`,
      "accept-ranges": "bytes",
      "content-length": String(bytes.length),
    });
    expect(await bytesOf(response)).toEqual(bytes);
  });

  it("answers one Range across a part boundary with 206, and an impossible one with 416", async () => {
    const bytes = sealedBytes(2 * MiB + 10);
    const { bob, fileId } = await sharedFile(bytes);
    const across = await expectStatus(await download(bob, fileId, { Range: `bytes=${MiB - 5}-${MiB + 4}` }), 206);
    expect(across.headers.get("Content-Range")).toBe(`bytes ${MiB - 5}-${MiB + 4}/${bytes.length}`);
    expect(await bytesOf(across)).toEqual(bytes.slice(MiB - 5, MiB + 5));
    const tail = await expectStatus(await download(bob, fileId, { Range: "bytes=-20" }), 206);
    expect(await bytesOf(tail)).toEqual(bytes.slice(-20));
    const open = await expectStatus(await download(bob, fileId, { Range: `bytes=${2 * MiB}-` }), 206);
    expect(await bytesOf(open)).toEqual(bytes.slice(2 * MiB));
    const beyond = await expectStatus(await download(bob, fileId, { Range: `bytes=${bytes.length}-` }), 416);
    expect(beyond.headers.get("Content-Range")).toBe(`bytes */${bytes.length}`);
  });

  it("keeps a file a message carries: alice cannot cancel it, only delete the message", async () => {
    const { alice, fileId } = await sharedFile(sealedBytes(1000));
    const refused = await as(alice, "DELETE", `/api/uploads/${fileId}`);
    expect(refused.status).toBe(409);
    expect(await errorCode(refused)).toBe("upload_attached");
    expect(await bytesOf(await expectStatus(await download(alice, fileId), 200))).toHaveLength(1000);
  });

  it("answers 304 to a request that already holds the file", async () => {
    const { bob, fileId } = await sharedFile(sealedBytes(1000));
    const first = await download(bob, fileId);
    const etag = first.headers.get("ETag")!;
    await first.arrayBuffer();
    const again = await expectStatus(await download(bob, fileId, { "If-None-Match": etag }), 304);
    expect(again.headers.get("ETag")).toBe(etag);
    expect(await again.text()).toBe("");
  });

  it("tells mallory, who is not in the channel, that the file does not exist", async () => {
    const { fileId } = await sharedFile(sealedBytes(1000));
    const mallory = await register(unique("mallory"));
    const refused = await download(mallory, fileId);
    expect(refused.status).toBe(404);
    const missing = await download(mallory, crypto.randomUUID());
    // The same but for each request's own id (X-Request-Id, for the log).
    const answer = async (response: Response) => {
      const { error } = (await response.json()) as { error: { requestId?: string } };
      expect(error.requestId).toBe(response.headers.get("X-Request-Id"));
      return { ...error, requestId: undefined };
    };
    expect(await answer(refused)).toEqual(await answer(missing));
    expect(await errorCode(await download(mallory, "not-an-id"))).toBe("not_found");
  });

  it("lets only its owner read an upload no message carries yet, and only once it is complete", async () => {
    const alice = await register(unique("alice"));
    const bob: Person = await register(unique("bob"));
    const channel = await createChannel(alice, bob);
    const bytes = sealedBytes(MiB + 1);
    const upload = await newUpload(alice, channel.id, bytes.length);
    expect((await download(alice, upload.id)).status).toBe(404);
    await uploadAll(alice, upload, bytes);
    expect(await bytesOf(await expectStatus(await download(alice, upload.id), 200))).toEqual(bytes);
    expect((await download(bob, upload.id)).status).toBe(404);
    await expectStatus(await as(alice, "DELETE", `/api/uploads/${upload.id}`), 204);
    expect((await download(alice, upload.id)).status).toBe(404);
  });
});
