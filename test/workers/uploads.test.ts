/**
 * Resumable uploads through the HTTP routes, stored in R2 under Miniflare: create,
 * append, resume, ask, cancel; every bad input answered with its code and nothing stored.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { query } from "../../db/index.ts";
import {
  sealedFileBytes,
  UPLOAD_PART_BYTES,
  type RoleView,
  type StorageUsage,
  type UploadView,
} from "../../protocol/index.ts";
import {
  as,
  createChannel,
  createChannelIn,
  createCommunity,
  errorCode,
  expectStatus,
  register,
  unique,
} from "./fixtures.ts";
import {
  createUpload,
  newUpload,
  sealedBytes,
  sendPart,
  storedKeys,
  uploadAll,
  uploadStatus,
} from "./uploads-fixtures.ts";

const MiB = 1024 * 1024;

describe("uploads", { timeout: 30_000 }, () => {
  it("alice uploads a file in parts, and the parts land in the store under files/<id>/<part>", async () => {
    const alice = await register(unique("alice"));
    const channel = await createChannel(alice);
    const bytes = sealedBytes(2 * MiB + 1234);
    const upload = await newUpload(alice, channel.id, bytes.length);
    expect(upload).toMatchObject({ channelId: channel.id, size: bytes.length, offset: 0, state: "uploading" });
    expect(upload.partBytes).toBe(UPLOAD_PART_BYTES);
    expect(Date.parse(upload.expiresAt) - Date.parse(upload.createdAt)).toBe(24 * 60 * 60 * 1000);

    const done = await uploadAll(alice, upload, bytes);
    expect(done).toMatchObject({ offset: bytes.length, state: "complete" });
    expect(await storedKeys(upload.id)).toEqual([0, 1, 2].map((part) => `files/${upload.id}/${part}`));
    const last = await env.UPLOADS_BUCKET.get(`files/${upload.id}/2`);
    expect(new Uint8Array(await last!.arrayBuffer())).toEqual(bytes.slice(2 * MiB));
  });

  it("alice resumes where the server says her upload stands, and a retried part changes nothing", async () => {
    const alice = await register(unique("alice"));
    const channel = await createChannel(alice);
    const bytes = sealedBytes(3 * MiB);
    const upload = await newUpload(alice, channel.id, bytes.length);
    await expectStatus(await sendPart(alice, upload.id, 0, bytes.slice(0, MiB)), 200);
    // The answer was lost: she asks where it stands.
    const status = (await (await expectStatus(await uploadStatus(alice, upload.id), 200)).json()) as {
      upload: UploadView;
    };
    expect(status.upload.offset).toBe(MiB);
    // She sends the first part again anyway: refused, saying where to go on.
    const retry = await expectStatus(await sendPart(alice, upload.id, 0, bytes.slice(0, MiB)), 409);
    expect(retry.headers.get("Upload-Offset")).toBe(String(MiB));
    expect(await retry.json()).toMatchObject({ error: { code: "wrong_offset", offset: MiB } });
    await expectStatus(await sendPart(alice, upload.id, MiB, bytes.slice(MiB, 2 * MiB)), 200);
    await expectStatus(await sendPart(alice, upload.id, 2 * MiB, bytes.slice(2 * MiB)), 200);
    const final = (await (await uploadStatus(alice, upload.id)).json()) as { upload: UploadView };
    expect(final.upload).toMatchObject({ offset: 3 * MiB, state: "complete" });
  });

  it("answers the codes of every bad part, and stores nothing for them", async () => {
    const alice = await register(unique("alice"));
    const mallory = await register(unique("mallory"));
    const channel = await createChannel(alice);
    const bytes = sealedBytes(MiB + 10);
    const upload = await newUpload(alice, channel.id, bytes.length);

    expect(await errorCode(await sendPart(alice, upload.id, 0, bytes.slice(0, MiB - 1)))).toBe("wrong_part_size");
    expect(await errorCode(await sendPart(alice, upload.id, 0, bytes.slice(0, MiB + 1)))).toBe("wrong_part_size");
    expect(await errorCode(await sendPart(alice, upload.id, MiB, bytes.slice(MiB)))).toBe("wrong_offset");
    expect(await errorCode(await sendPart(mallory, upload.id, 0, bytes.slice(0, MiB)))).toBe("no_such_upload");
    expect((await uploadStatus(mallory, upload.id)).status).toBe(404);
    expect(await errorCode(await as(mallory, "DELETE", `/api/uploads/${upload.id}`))).toBe("no_such_upload");
    expect(await errorCode(await sendPart(alice, crypto.randomUUID(), 0, bytes.slice(0, MiB)))).toBe("no_such_upload");
    expect(await errorCode(await sendPart(alice, "not-an-id", 0, bytes.slice(0, MiB)))).toBe("no_such_upload");
    expect(await storedKeys(upload.id)).toEqual([]);

    await sendPart(alice, upload.id, 0, bytes.slice(0, MiB));
    // The last part must be exactly the rest.
    expect(await errorCode(await sendPart(alice, upload.id, MiB, bytes.slice(MiB, MiB + 5)))).toBe("wrong_part_size");
    await expectStatus(await sendPart(alice, upload.id, MiB, bytes.slice(MiB)), 200);
    const after = await sendPart(alice, upload.id, MiB + 10, new Uint8Array(1));
    expect(after.status).toBe(409);
    expect(await errorCode(after)).toBe("upload_complete");
    expect(await storedKeys(upload.id)).toEqual([`files/${upload.id}/0`, `files/${upload.id}/1`]);
  });

  it("refuses empty files, files over the limit, and people without ATTACH_FILES or sight of the channel", async () => {
    const alice = await register(unique("alice"));
    const mallory = await register(unique("mallory"));
    const channel = await createChannel(alice);
    expect(await errorCode(await createUpload(alice, channel.id, 0))).toBe("empty_file");
    const tooLarge = await createUpload(alice, channel.id, sealedFileBytes(Number(env.UPLOAD_MAX_BYTES)) + 1);
    expect(tooLarge.status).toBe(413);
    expect(await errorCode(tooLarge)).toBe("file_too_large");
    await expectStatus(await createUpload(alice, channel.id, sealedFileBytes(Number(env.UPLOAD_MAX_BYTES))), 201);
    const outsider = await createUpload(mallory, channel.id, 100);
    expect(outsider.status).toBe(404);
    expect(await errorCode(outsider)).toBe("not_found");

    // bob is a member, but files are not allowed in this channel for @everyone.
    const bob = await register(unique("bob"));
    const community = await createCommunity(alice, bob);
    const quiet = await createChannelIn(alice, community.id);
    const roles = (await (await as(alice, "GET", `/api/communities/${community.id}/roles`)).json()) as {
      roles: RoleView[];
    };
    const everyone = roles.roles.find((role) => role.isEveryone)!;
    const override = { deny: ["ATTACH_FILES"] };
    await expectStatus(
      await as(alice, "PUT", `/api/channels/${quiet.id}/overrides/roles/${everyone.id}`, override),
      204,
    );
    const refused = await createUpload(bob, quiet.id, 100);
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("missing_permission");
  });

  it("counts what alice's files take, and cancelling one frees its bytes and its parts", async () => {
    const alice = await register(unique("alice"));
    const channel = await createChannel(alice);
    const bytes = sealedBytes(MiB + 1);
    const upload = await newUpload(alice, channel.id, bytes.length);
    await sendPart(alice, upload.id, 0, bytes.slice(0, MiB));
    const usage = async () =>
      ((await (await as(alice, "GET", "/api/me/storage")).json()) as { storage: StorageUsage }).storage;
    expect(await usage()).toEqual({
      usedBytes: bytes.length,
      quotaBytes: Number(env.UPLOAD_QUOTA_BYTES),
      fileMaxBytes: Number(env.UPLOAD_MAX_BYTES),
    });
    await expectStatus(await as(alice, "DELETE", `/api/uploads/${upload.id}`), 204);
    expect((await usage()).usedBytes).toBe(0);
    expect(await storedKeys(upload.id)).toEqual([]);
    expect(await errorCode(await uploadStatus(alice, upload.id))).toBe("no_such_upload");
    expect(await errorCode(await sendPart(alice, upload.id, MiB, bytes.slice(MiB)))).toBe("no_such_upload");
  });

  it("lets exactly the uploads that fit in the quota through when they are created all at once", async () => {
    const alice = await register(unique("alice"));
    const channel = await createChannel(alice);
    const quota = 5 * MiB;
    const bindings = { ...env, UPLOAD_QUOTA_BYTES: String(quota) };
    const size = MiB + 100; // four fit in 5 MiB, the fifth does not
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => createUpload(alice, channel.id, size, bindings)),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(4);
    expect(statuses.filter((status) => status === 413)).toHaveLength(36);
    expect(await errorCode(answers.find((answer) => answer.status === 413)!)).toBe("over_quota");
    const usage = (await (await as(alice, "GET", "/api/me/storage")).json()) as { storage: StorageUsage };
    expect(usage.storage.usedBytes).toBe(4 * size);
  });

  it("keeps the quota exact when creations reach the database at the same instant", async () => {
    const alice = await register(unique("alice"));
    const channel = await createChannel(alice);
    // Straight to the query: over HTTP the requests' own work spaces them out, which hides a race.
    const creation = { ownerId: alice.user.id, channelId: channel.id, size: 100, quotaBytes: 400, pendingMax: 50 };
    const results = await Promise.all(Array.from({ length: 40 }, () => query(env.DATABASE, "createUpload", creation)));
    expect(results.filter((result) => result.ok)).toHaveLength(4);
    expect(await query(env.DATABASE, "storageUsage", { userId: alice.user.id })).toBe(400);
  });

  it("caps unsent uploads, and a burst of tiny uploads meets 429 long before harm", async () => {
    const mallory = await register(unique("mallory"));
    const channel = await createChannel(mallory);
    const answers = [];
    for (let batch = 0; batch < 10; batch++) {
      answers.push(...(await Promise.all(Array.from({ length: 20 }, () => createUpload(mallory, channel.id, 1)))));
    }
    const codes = await Promise.all(answers.map((answer) => (answer.status === 201 ? "created" : errorCode(answer))));
    expect(codes.filter((code) => code === "created")).toHaveLength(50);
    expect(codes).toContain("too_many_uploads");
    expect(codes.filter((code) => code === "rate_limited").length).toBeGreaterThanOrEqual(200 - 120);
    expect(answers.find((answer) => answer.status === 429)!.headers.get("Retry-After")).toMatch(/^\d+$/);
  }, 60_000);
});
