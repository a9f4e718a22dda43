/**
 * Uploads on the real server (workerd's disk service over UPLOAD_DIR): parts land under
 * files/<upload>/<part>, a download is byte-identical, a part cut off mid-way leaves
 * nothing and its retry is harmless, a full disk fails with 507 and nothing partial,
 * and housekeeping at start-up removes an orphaned upload's files and row.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type { UploadView } from "../../protocol/index.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const MiB = 1024 * 1024;
const isRoot = process.getuid?.() === 0;
let database: TestDatabase | undefined;
let server: RunningServer | undefined;
const uploadDir = mkdtempSync(join(tmpdir(), "chatalot-uploads-disk-"));
let isMounted = false;

afterAll(async () => {
  await server?.stop();
  await database?.stop();
  if (isMounted) execFileSync("umount", [uploadDir]);
  rmSync(uploadDir, { recursive: true, force: true });
});

function bytesOf(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index++) bytes[index] = (index * 13 + seed + (index >> 9)) & 0xff;
  return bytes;
}

/** Every file under the upload directory, as paths relative to it. */
function filesOnDisk(): string[] {
  return (readdirSync(uploadDir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(uploadDir.length + 1))
    .sort();
}

/** Sends `length` bytes' worth of Content-Length but only `sent` bytes, then drops the connection. */
function cutPart(url: string, token: string, offset: number, length: number, sent: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const request = httpRequest(url, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${token}`, "Upload-Offset": String(offset), "Content-Length": String(length) },
    });
    request.on("error", () => resolve());
    request.on("response", () => resolve());
    request.write(sent, () => setTimeout(() => request.destroy(), 200));
  });
}

describe.skipIf(!isRoot)("uploads on the disk", () => {
  it("stores parts under files/<id>/<part>, survives a cut, refuses a full disk cleanly, and sweeps orphans", async () => {
    // A small disk of its own, so "full" comes quickly and touches nothing else.
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", uploadDir]);
    isMounted = true;
    database = await createTestDatabase("uploads_disk");
    const env = { UPLOAD_DIR: uploadDir, COMMUNITY_CREATION_MODE: "open" };
    server = await startServer({ databaseUrl: database.url, env });
    const call = async (method: string, path: string, token?: string, body?: unknown) =>
      fetch(`${server!.url}${path}`, {
        method,
        headers: {
          ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const registered = await call("POST", "/api/auth/register", undefined, {
      username: "alice",
      password: "a long enough password",
    });
    const { accessToken: token } = (await registered.json()) as { accessToken: string };
    const community = (await (await call("POST", "/api/communities", token, { name: "Files" })).json()) as {
      community: { id: string };
    };
    const created = await call("POST", `/api/communities/${community.community.id}/channels`, token, { name: "files" });
    const { channel } = (await created.json()) as { channel: { id: string } };
    const newUpload = async (size: number) => {
      const response = await call("POST", `/api/channels/${channel.id}/uploads`, token, { size });
      expect(response.status).toBe(201);
      return ((await response.json()) as { upload: UploadView }).upload;
    };
    const sendPart = (id: string, offset: number, part: Uint8Array<ArrayBuffer>) =>
      fetch(`${server!.url}/api/uploads/${id}`, {
        method: "PATCH",
        headers: { Authorization: `Bearer ${token}`, "Upload-Offset": String(offset) },
        body: part,
      });

    // alice's 2.5 MiB file: the first part, then a second part cut off half way.
    const file = bytesOf(2.5 * MiB, 1);
    const upload = await newUpload(file.length);
    expect((await sendPart(upload.id, 0, file.slice(0, MiB))).status).toBe(200);
    await cutPart(`${server.url}/api/uploads/${upload.id}`, token, MiB, MiB, file.slice(MiB, 1.5 * MiB));
    expect(filesOnDisk()).toEqual([`files/${upload.id}/0`]);
    // A cut is the network's doing, not a server fault.
    expect(server.output()).not.toContain("unhandled error");
    const standing = (await (await call("GET", `/api/uploads/${upload.id}`, token)).json()) as { upload: UploadView };
    expect(standing.upload.offset).toBe(MiB);
    // She resumes; a part sent twice changes nothing.
    expect((await sendPart(upload.id, MiB, file.slice(MiB, 2 * MiB))).status).toBe(200);
    expect((await sendPart(upload.id, MiB, file.slice(MiB, 2 * MiB))).status).toBe(409);
    expect((await sendPart(upload.id, 2 * MiB, file.slice(2 * MiB))).status).toBe(200);
    expect(filesOnDisk()).toEqual([0, 1, 2].map((part) => `files/${upload.id}/${part}`));
    expect(readFileSync(join(uploadDir, "files", upload.id, "1"))).toEqual(Buffer.from(file.slice(MiB, 2 * MiB)));
    const downloaded = await call("GET", `/api/files/${upload.id}`, token);
    expect(downloaded.status).toBe(200);
    expect(new Uint8Array(await downloaded.arrayBuffer())).toEqual(file);

    // A second file does not fit on the 4 MiB disk: its second part is refused whole.
    const big = bytesOf(3 * MiB, 2);
    const second = await newUpload(big.length);
    expect((await sendPart(second.id, 0, big.slice(0, MiB))).status).toBe(200);
    const full = await sendPart(second.id, MiB, big.slice(MiB, 2 * MiB));
    expect(full.status).toBe(507);
    expect(((await full.json()) as { error: { code: string } }).error.code).toBe("storage_full");
    expect(filesOnDisk()).toEqual(
      [...[0, 1, 2].map((part) => `files/${upload.id}/${part}`), `files/${second.id}/0`].sort(),
    );
    const after = (await (await call("GET", `/api/uploads/${second.id}`, token)).json()) as { upload: UploadView };
    expect(after.upload.offset).toBe(MiB);
    // The server goes on: the first file still downloads.
    expect((await call("GET", `/api/files/${upload.id}`, token)).status).toBe(200);

    // No message took the second upload for two days: start-up housekeeping removes it.
    await server.stop();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("update uploads set created_at = now() - interval '2 days' where id = $1", [second.id]);
    server = await startServer({ databaseUrl: database.url, env });
    expect(filesOnDisk()).toEqual([0, 1, 2].map((part) => `files/${upload.id}/${part}`));
    expect(readdirSync(join(uploadDir, "files"))).toEqual([upload.id]);
    const rows = await client.query("select id from uploads order by created_at");
    await client.end();
    expect(rows.rows.map((row) => row.id)).toEqual([upload.id]);
  });
});
