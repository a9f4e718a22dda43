/**
 * A message's files on the real self-hosted server (workerd, its disk service over
 * UPLOAD_DIR): alice sends a file with a message over a real socket, deletes the
 * message, and the room, through the app's FileRemoval entrypoint
 * (workerd/chatalot.capnp), takes its parts off the disk, then its row.
 */
import { mkdtempSync, readdirSync, rmSync, type Dirent } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import { unpackFrames, type ServerFrame, type UploadView } from "../../protocol/index.ts";
import { call, generalChannel, openChannelSocket, registerOn, within, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

let database: TestDatabase | undefined;
let server: RunningServer | undefined;
const uploadDir = mkdtempSync(join(tmpdir(), "chatalot-attachments-disk-"));

afterAll(async () => {
  await server?.stop();
  await database?.stop();
  rmSync(uploadDir, { recursive: true, force: true });
});

/** The upload's part files on the disk, relative to UPLOAD_DIR. */
function partsOnDisk(uploadId: string): string[] {
  const folder = join(uploadDir, "files", uploadId);
  try {
    return (readdirSync(folder, { withFileTypes: true }) as Dirent[])
      .filter((entry) => entry.isFile())
      .map((entry) => `files/${uploadId}/${entry.name}`);
  } catch {
    return [];
  }
}

/** Sends a frame and waits for the answer (ack, done or error) naming its client id. */
function ask(socket: WebSocket, frame: Record<string, unknown>): Promise<ServerFrame> {
  const clientId = crypto.randomUUID().replaceAll("-", "");
  const answered = new Promise<ServerFrame>((resolve) => {
    const listener = (data: WebSocket.RawData) => {
      const answer = unpackFrames(JSON.parse(String(data)) as ServerFrame).find(
        (candidate) => "clientId" in candidate && candidate.clientId === clientId,
      );
      if (!answer) return;
      socket.off("message", listener);
      resolve(answer);
    };
    socket.on("message", listener);
  });
  socket.send(JSON.stringify({ ...frame, clientId }));
  return within(answered, 10_000, `an answer to ${String(frame.type)}`);
}

async function uploadFile(alice: Account, channelId: string, bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const created = await call(server!, `/api/channels/${channelId}/uploads`, {
    token: alice.token,
    body: { size: bytes.length },
  });
  expect(created.status, created.text).toBe(201);
  const { id } = created.body.upload as UploadView;
  const part = await fetch(`${server!.url}/api/uploads/${id}`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${alice.token}`, "Upload-Offset": "0" },
    body: bytes,
  });
  expect(part.status, await part.text()).toBe(200);
  return id;
}

describe("a message's files on the disk", () => {
  it("deleting the message takes its parts off the disk", async () => {
    database = await createTestDatabase("attachments_disk");
    server = await startServer({
      databaseUrl: database.url,
      env: { UPLOAD_DIR: uploadDir, COMMUNITY_CREATION_MODE: "open" },
    });
    const alice = await registerOn(server, "alice", "a long enough password");
    const channelId = await generalChannel(server, alice);
    const fileId = await uploadFile(alice, channelId, crypto.getRandomValues(new Uint8Array(4_000)));
    expect(partsOnDisk(fileId)).toEqual([`files/${fileId}/0`]);
    const { socket } = await openChannelSocket(server, alice, channelId);
    const payload = Buffer.from("a caption").toString("base64");
    const sent = await ask(socket, { type: "send", payload, attachments: [fileId] });
    if (sent.type !== "ack") expect.fail(`not sent: ${JSON.stringify(sent)}`);
    expect((await call(server, `/api/files/${fileId}`, { token: alice.token })).status).toBe(200);
    expect((await ask(socket, { type: "delete", seq: sent.message.seq })).type).toBe("done");
    expect((await call(server, `/api/files/${fileId}`, { token: alice.token })).status).toBe(404);
    // Its parts go, then its row: nothing is left for housekeeping.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const rowCount = async () => (await client.query("select 1 from uploads where id = $1", [fileId])).rowCount ?? 0;
    const deadline = Date.now() + 10_000;
    while ((partsOnDisk(fileId).length > 0 || (await rowCount()) > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(partsOnDisk(fileId)).toEqual([]);
    expect(await rowCount()).toBe(0);
    await client.end();
    socket.close();
  });
});
