/**
 * Call media keys and frames (docs/e2ee.md, "Calls"). The frame codec on its own:
 * what stays in clear, and that a changed byte or another key opens nothing. Then the
 * keys through simulated devices against the production server and PostgreSQL: the
 * members of a channel's group derive the same media secret and the same key for each
 * sender device; a frame sealed for one device does not open under another's key;
 * after a removal commit the removed device is left without the next epoch's secret,
 * and what the others seal then does not open with anything it holds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chatalotCiphersuite,
  clearBytesOf,
  MEDIA_FRAME_OVERHEAD_BYTES,
  mediaFrameKeyIndex,
  mediaKeyIndex,
  mediaSenderKey,
  openMediaFrame,
  sealMediaFrame,
} from "../../e2ee/index.ts";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { SimulatedDevice } from "../support/e2ee-device.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "a long enough password";

/** A VP8 key frame as an encoder hands it over: its 10-byte payload header, then the picture. */
const vp8KeyFrame = () => {
  const frame = new Uint8Array(600);
  frame.set([0x50, 0x2d, 0x01, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00]);
  for (let index = 10; index < frame.length; index++) frame[index] = (index * 7) % 251;
  return frame;
};
const secretOf = (seed: number) => new Uint8Array(32).fill(seed);

describe("a call's media frame", () => {
  it("keeps the codec's header in clear, hides the rest, and opens to the same bytes", async () => {
    const key = await mediaSenderKey(secretOf(1), "alice-device");
    const frame = vp8KeyFrame();
    const sealed = await sealMediaFrame(key, mediaKeyIndex(261n), frame, clearBytesOf("video", "key"));
    expect(sealed.length).toBe(frame.length + MEDIA_FRAME_OVERHEAD_BYTES);
    expect(sealed.subarray(0, 10)).toEqual(frame.subarray(0, 10));
    expect(Buffer.from(sealed).includes(Buffer.from(frame.subarray(10, 40)))).toBe(false);
    expect(mediaFrameKeyIndex(sealed)).toBe(5);
    expect(await openMediaFrame(key, sealed)).toEqual(frame);
  });

  it("leaves one byte of an Opus frame and three of a VP8 delta frame in clear", () => {
    expect(clearBytesOf("audio")).toBe(1);
    expect(clearBytesOf("video", "delta")).toBe(3);
    expect(clearBytesOf("video", "key")).toBe(10);
  });

  it("seals the same frame differently each time (a fresh IV)", async () => {
    const key = await mediaSenderKey(secretOf(1), "alice-device");
    const frame = vp8KeyFrame();
    const first = await sealMediaFrame(key, 0, frame, 3);
    const second = await sealMediaFrame(key, 0, frame, 3);
    expect(first).not.toEqual(second);
    expect(await openMediaFrame(key, second)).toEqual(frame);
  });

  it("fails to open when any byte changed: the clear header, the ciphertext, the IV or the trailer", async () => {
    const key = await mediaSenderKey(secretOf(1), "alice-device");
    const sealed = await sealMediaFrame(key, 3, vp8KeyFrame(), 10);
    for (const at of [0, 9, 10, 300, sealed.length - 20, sealed.length - 3, sealed.length - 2, sealed.length - 1]) {
      const changed = new Uint8Array(sealed);
      changed[at]! ^= 0x01;
      await expect(openMediaFrame(key, changed), `byte ${at}`).rejects.toThrow();
    }
    await expect(openMediaFrame(key, sealed.slice(0, MEDIA_FRAME_OVERHEAD_BYTES - 1))).rejects.toThrow();
  });

  it("fails to open under another epoch's key or another sender's key", async () => {
    const sealed = await sealMediaFrame(await mediaSenderKey(secretOf(1), "alice-device"), 0, vp8KeyFrame(), 10);
    await expect(openMediaFrame(await mediaSenderKey(secretOf(2), "alice-device"), sealed)).rejects.toThrow();
    await expect(openMediaFrame(await mediaSenderKey(secretOf(1), "bob-device"), sealed)).rejects.toThrow();
  });

  it("seals an empty frame and a frame shorter than its header", async () => {
    const key = await mediaSenderKey(secretOf(1), "alice-device");
    for (const frame of [new Uint8Array(0), Uint8Array.of(7, 8)]) {
      expect(await openMediaFrame(key, await sealMediaFrame(key, 0, frame, 10))).toEqual(frame);
    }
  });
});

describe("a channel's media keys, from its MLS group", () => {
  let database: TestDatabase;
  let server: RunningServer;
  let channelId: string;
  let communityId: string;
  const devices = new Map<string, SimulatedDevice>();
  const accounts = new Map<string, Account>();
  const device = (name: string) => devices.get(name)!;

  /** `sealer` seals a frame as `senderName`'s device would; whether `opener` opens it with what it derives. */
  async function opens(sealer: string, opener: string, senderName: string, claimedSender = senderName) {
    const sealing = (await device(sealer).mediaSecret(channelId))!;
    const key = await mediaSenderKey(sealing.secret, device(senderName).deviceId);
    const frame = vp8KeyFrame();
    const sealed = await sealMediaFrame(key, mediaKeyIndex(sealing.epoch), frame, 10);
    const opening = await device(opener).mediaSecret(channelId);
    if (!opening) return false;
    try {
      const openKey = await mediaSenderKey(opening.secret, device(claimedSender).deviceId);
      return (await openMediaFrame(openKey, sealed)).every((byte, index) => byte === frame[index]);
    } catch {
      return false;
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase("e2ee_media_keys");
    server = await startServer({ databaseUrl: database.url, env: { TRUSTED_PROXIES: "127.0.0.1" } });
    const cipherSuite = await chatalotCiphersuite();
    let address = 0;
    for (const name of ["alice", "bob", "carol"]) {
      const account = await registerOn(server, name, PASSWORD, { forwardedFor: `198.18.7.${++address}` });
      accounts.set(name, account);
      devices.set(name, await SimulatedDevice.setUp(server, account, cipherSuite));
    }
    // Communities are the instance admin's to create; the admin has no device and stays outside the group.
    const admin = await registerOn(server, "admin", PASSWORD, { forwardedFor: "198.18.7.9" });
    accounts.set("admin", admin);
    const created = await call(server, "/api/communities", { token: admin.token, body: { name: "Voice" } });
    communityId = created.body.community.id;
    const invite = await call(server, `/api/communities/${communityId}/invites`, { token: admin.token, body: {} });
    for (const name of ["alice", "bob", "carol"]) {
      const joined = await call(server, "/api/community-invites/accept", {
        token: accounts.get(name)!.token,
        body: { code: invite.body.code },
        forwardedFor: "198.18.7.10",
      });
      expect(joined.status).toBe(200);
    }
    const channels = await call(server, `/api/communities/${communityId}/channels`, { token: admin.token });
    channelId = channels.body.channels.find((channel: { name: string }) => channel.name === "general").id;
    await device("alice").startGroup(channelId);
    expect(await device("alice").commitPending(channelId)).toBe(true);
    for (const name of ["bob", "carol"]) expect(await device(name).acceptWelcomes()).toEqual([channelId]);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await database?.stop();
  });

  it("gives every member of the epoch the same media secret, and each sender device one key all derive alike", async () => {
    const [alice, bob, carol] = await Promise.all(
      ["alice", "bob", "carol"].map((name) => device(name).mediaSecret(channelId)),
    );
    expect(alice!.epoch).toBe(1n);
    expect(bob).toEqual(alice);
    expect(carol).toEqual(alice);
    expect(await opens("alice", "bob", "alice")).toBe(true);
    expect(await opens("bob", "carol", "bob")).toBe(true);
    expect(await opens("carol", "alice", "carol")).toBe(true);
  });

  it("opens no frame when the receiver derives the key of another device than the sender's", async () => {
    expect(await opens("alice", "bob", "alice", "carol")).toBe(false);
    expect(await opens("carol", "bob", "carol", "bob")).toBe(false);
  });

  it("after carol's removal, alice and bob agree on a new secret and carol derives nothing that opens their frames", async () => {
    const before = (await device("alice").mediaSecret(channelId))!;
    const kicked = await call(server, `/api/communities/${communityId}/members/${accounts.get("carol")!.id}/kick`, {
      token: accounts.get("admin")!.token,
      body: { reason: "leaving the call for good" },
    });
    expect([200, 204]).toContain(kicked.status);
    expect(await device("bob").commitPending(channelId)).toBe(true);
    await device("alice").catchUp(channelId);
    const alice = (await device("alice").mediaSecret(channelId))!;
    expect(alice.epoch).toBe(before.epoch + 1n);
    expect(await device("bob").mediaSecret(channelId)).toEqual(alice);
    expect(alice.secret).not.toEqual(before.secret);
    expect(await opens("alice", "bob", "alice")).toBe(true);

    // Even handed the removal commit (a server passing it on), carol does not reach the
    // new epoch: she learns she was removed, or cannot process it at all.
    const log = await device("alice").api<{ commits: { epoch: number; commit: string }[] }>(
      "GET",
      `/api/channels/${channelId}/mls?fromEpoch=${before.epoch}`,
    );
    await device("carol")
      .processCommit(channelId, log.commits[0]!.commit)
      .catch(() => undefined);
    const carol = await device("carol").mediaSecret(channelId);
    expect(carol === null || carol.epoch === before.epoch).toBe(true);
    expect(carol?.secret ?? null).not.toEqual(alice.secret);
    expect(await opens("alice", "carol", "alice")).toBe(false);
    expect(await opens("bob", "carol", "bob")).toBe(false);
  });
});
