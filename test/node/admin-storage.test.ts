/**
 * What the admin API tells about storage, against the production server and a fresh
 * database: alice uploads a file through the real upload routes, bob starts one and
 * cancels it, alice sets an avatar and removes it, and the admin reads each person's
 * bytes, the instance's total and the limits in force. "admin" is the bootstrap admin.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealedFileBytes, UPLOAD_PART_BYTES } from "../../protocol/index.ts";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { markedPng } from "../support/curious-server.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "a long enough password";
const FILE_MAX_BYTES = 5 * 1024 * 1024;
const QUOTA_BYTES = 64 * 1024 * 1024;
/** Two parts and a bit: alice's file, sealed. */
const ALICE_FILE_BYTES = sealedFileBytes(2 * UPLOAD_PART_BYTES + 1000);
const BOB_FILE_BYTES = sealedFileBytes(300_000);

let database: TestDatabase;
let server: RunningServer;
let admin: Account;
let alice: Account;
let bob: Account;
let channelId = "";

beforeAll(async () => {
  database = await createTestDatabase("admin_storage");
  server = await startServer({
    databaseUrl: database.url,
    env: { UPLOAD_MAX_BYTES: String(FILE_MAX_BYTES), UPLOAD_QUOTA_BYTES: String(QUOTA_BYTES) },
  });
  admin = await registerOn(server, "admin", PASSWORD);
  alice = await registerOn(server, "alice", PASSWORD);
  bob = await registerOn(server, "bob", PASSWORD);
  const community = (await call(server, "/api/communities", { token: admin.token, body: { name: "Acme" } })).body
    .community.id;
  const { code } = (await call(server, `/api/communities/${community}/invites`, { token: admin.token, body: {} })).body;
  for (const person of [alice, bob]) {
    const joined = await call(server, "/api/community-invites/accept", { token: person.token, body: { code } });
    expect(joined.status, joined.text).toBe(200);
  }
  const channels = await call(server, `/api/communities/${community}/channels`, { token: admin.token });
  channelId = channels.body.channels.find((channel: { name: string }) => channel.name === "general").id;
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

describe("storage on the admin API", () => {
  it("counts each person's files, sent whole or half-way, and the instance's total, with the limits in force", async () => {
    const alicesFile = await createUpload(alice, ALICE_FILE_BYTES);
    for (let offset = 0; offset < ALICE_FILE_BYTES; offset += UPLOAD_PART_BYTES) {
      await sendPart(alice, alicesFile, offset, Math.min(UPLOAD_PART_BYTES, ALICE_FILE_BYTES - offset));
    }
    const bobsFile = await createUpload(bob, BOB_FILE_BYTES);

    expect(await storageOf()).toEqual({ admin: 0, alice: ALICE_FILE_BYTES, bob: BOB_FILE_BYTES });
    const overview = await asAdmin("/api/admin/overview");
    expect(overview.storage).toEqual({
      usedBytes: ALICE_FILE_BYTES + BOB_FILE_BYTES,
      fileMaxBytes: FILE_MAX_BYTES,
      quotaBytes: QUOTA_BYTES,
    });
    expect((await asAdmin(`/api/admin/users/${alice.id}`)).user.storageBytes).toBe(ALICE_FILE_BYTES);

    const cancelled = await call(server, `/api/uploads/${bobsFile}`, { method: "DELETE", token: bob.token });
    expect(cancelled.status, cancelled.text).toBe(204);
    expect(await storageOf()).toEqual({ admin: 0, alice: ALICE_FILE_BYTES, bob: 0 });
    expect((await asAdmin("/api/admin/overview")).storage.usedBytes).toBe(ALICE_FILE_BYTES);
  });

  it("counts alice's avatar with her files, and no more once she removes it", async () => {
    const avatar = markedPng({ width: 64, height: 64, rgb: [200, 80, 40], text: "avatar" });
    const put = await fetch(`${server.url}/api/me/avatar`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${alice.token}`, "Content-Type": "image/png" },
      body: new Uint8Array(avatar),
    });
    expect(put.status, await put.text()).toBe(200);
    expect((await storageOf()).alice).toBe(ALICE_FILE_BYTES + avatar.length);
    expect((await asAdmin("/api/admin/overview")).storage.usedBytes).toBe(ALICE_FILE_BYTES + avatar.length);

    const removed = await call(server, "/api/me/avatar", { method: "DELETE", token: alice.token });
    expect(removed.status, removed.text).toBe(200);
    expect((await storageOf()).alice).toBe(ALICE_FILE_BYTES);
  });

  it("follows the upload limit an admin sets at runtime, and so do uploads", async () => {
    const between = sealedFileBytes(FILE_MAX_BYTES + 1000);
    const refused = await call(server, `/api/channels/${channelId}/uploads`, {
      token: alice.token,
      body: { size: between },
    });
    expect(refused.status, refused.text).toBe(413);
    expect(refused.body.error.code).toBe("file_too_large");
    const changed = await call(server, "/api/admin/settings", {
      method: "PATCH",
      token: admin.token,
      body: { uploadMaxBytes: 2 * FILE_MAX_BYTES },
    });
    expect(changed.status, changed.text).toBe(200);
    expect((await asAdmin("/api/admin/overview")).storage.fileMaxBytes).toBe(2 * FILE_MAX_BYTES);
    const mine = await call(server, "/api/me/storage", { token: alice.token });
    expect(mine.body.storage.fileMaxBytes).toBe(2 * FILE_MAX_BYTES);
    const accepted = await createUpload(alice, between);
    const cancelled = await call(server, `/api/uploads/${accepted}`, { method: "DELETE", token: alice.token });
    expect(cancelled.status, cancelled.text).toBeLessThan(300);
  });

  it("tells bob, who is no admin, nothing about anyone's storage", async () => {
    for (const path of ["/api/admin/overview", "/api/admin/users", `/api/admin/users/${alice.id}`]) {
      const answer = await call(server, path, { token: bob.token });
      expect(answer.status, path).toBe(403);
      expect(answer.text).not.toContain(String(ALICE_FILE_BYTES));
    }
  });
});

async function asAdmin(path: string): Promise<any> {
  const answer = await call(server, path, { token: admin.token });
  expect(answer.status, `${path}: ${answer.text}`).toBe(200);
  return answer.body;
}

/** Every person's storage from the admin's user list, by username. */
async function storageOf(): Promise<Record<string, number>> {
  const { users } = await asAdmin("/api/admin/users?limit=50");
  return Object.fromEntries(
    users.map((user: { username: string; storageBytes: number }) => [user.username, user.storageBytes]),
  );
}

async function createUpload(person: Account, size: number): Promise<string> {
  const created = await call(server, `/api/channels/${channelId}/uploads`, { token: person.token, body: { size } });
  expect(created.status, created.text).toBeOneOf([200, 201]);
  return created.body.upload.id;
}

/** One part of random bytes (the server cannot tell them from a sealed file's). */
async function sendPart(person: Account, uploadId: string, offset: number, length: number): Promise<void> {
  const response = await fetch(`${server.url}/api/uploads/${uploadId}`, {
    method: "PATCH",
    headers: {
      Authorization: `Bearer ${person.token}`,
      "Content-Type": "application/octet-stream",
      "Upload-Offset": String(offset),
    },
    body: new Uint8Array(randomBytes(length)),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}
