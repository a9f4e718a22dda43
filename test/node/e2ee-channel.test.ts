/**
 * An end-to-end encrypted community channel of ten people, each on a simulated
 * device, against the production server and PostgreSQL. The server decides who may
 * read the channel (joins, kicks, bans, leaves); it publishes the difference between
 * that and the group as pending adds and removes; online members commit them
 * (racing, one wins); a removed person cannot read anything sent after their
 * removal, and a newcomer reads from their join on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatalotCiphersuite, type DeviceSnapshot, type Method } from "../../e2ee/index.ts";
import type { MessageView, MlsPendingView } from "../../protocol/index.ts";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { SimulatedDevice } from "../support/e2ee-device.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const NAMES = ["admin", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"];
const PASSWORD = "a long enough password";

let database: TestDatabase;
let server: RunningServer;
let communityId: string;
let channelId: string;
let inviteCode: string;
const people = new Map<string, { account: Account; device: SimulatedDevice }>();
const person = (name: string) => people.get(name)!;
/** Each request from its own address, as behind a reverse proxy: registration is limited per address. */
let address = 0;
const nextAddress = () => `198.18.${Math.floor(++address / 250)}.${(address % 250) + 1}`;

async function join(name: string): Promise<void> {
  const { account } = person(name);
  const joined = await call(server, "/api/community-invites/accept", {
    token: account.token,
    body: { code: inviteCode },
    forwardedFor: nextAddress(),
  });
  if (joined.status !== 200) throw new Error(`${name} joining: ${joined.status} ${joined.text}`);
}

/** `speaker` seals and stores a message through the HTTP-free path: the channel socket. */
async function say(speaker: string, words: string): Promise<MessageView> {
  const { device } = person(speaker);
  const socket = await device.connect(channelId);
  const clientId = `msg${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  socket.socket.send(JSON.stringify({ type: "send", clientId, payload: await device.seal(channelId, words) }));
  const { message } = await socket.next("ack", (frame) => frame.clientId === clientId);
  socket.close();
  return message;
}

/** Who of `names` reads `message` (each processes the commits it missed first). */
async function readers(message: MessageView, names: string[]): Promise<string[]> {
  const read: string[] = [];
  for (const name of names) {
    const { device } = person(name);
    try {
      if (device.groups.has(channelId)) await device.catchUp(channelId).catch(() => {});
      if ((await device.read(message)) !== undefined) read.push(name);
    } catch {
      // cannot read it
    }
  }
  return read;
}

/** `name` reads the channel's latest page (taking any history keys shared there). */
async function readLatest(name: string): Promise<void> {
  const { device } = person(name);
  const page = await device.api<{ messages: MessageView[] }>("GET", `/api/channels/${channelId}/messages?limit=20`);
  for (const message of page.messages) await device.read(message).catch(() => {});
}

const pending = (name: string) =>
  person(name).device.api<MlsPendingView>("GET", `/api/channels/${channelId}/mls/pending`);

beforeAll(async () => {
  database = await createTestDatabase("e2ee_channel");
  server = await startServer({ databaseUrl: database.url, env: { TRUSTED_PROXIES: "127.0.0.1" } });
  const cipherSuite = await chatalotCiphersuite();
  for (const name of [...NAMES, "kate", "leo"]) {
    const account = await registerOn(server, name, PASSWORD, { forwardedFor: nextAddress() });
    people.set(name, { account, device: await SimulatedDevice.setUp(server, account, cipherSuite) });
  }
  const admin = person("admin").account;
  const created = await call(server, "/api/communities", { token: admin.token, body: { name: "Ten" } });
  communityId = created.body.community.id;
  inviteCode = (await call(server, `/api/communities/${communityId}/invites`, { token: admin.token, body: {} })).body
    .code;
  for (const name of NAMES.slice(1)) await join(name);
  const channels = await call(server, `/api/communities/${communityId}/channels`, { token: admin.token });
  channelId = channels.body.channels.find((channel: { name: string }) => channel.name === "general").id;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

describe("an end-to-end encrypted channel of ten", () => {
  it("starts with its creator alone; the other nine are pending, added in one commit, and all read each other", async () => {
    await person("admin").device.startGroup(channelId);
    const before = await pending("carol");
    expect(before.epoch).toBe(0);
    expect(before.add.map((entry) => entry.userId).sort()).toEqual(
      NAMES.slice(1)
        .map((name) => person(name).account.id)
        .sort(),
    );
    expect(await person("admin").device.commitPending(channelId)).toBe(true);
    for (const name of NAMES.slice(1)) expect(await person(name).device.acceptWelcomes(), name).toEqual([channelId]);
    expect(await pending("carol")).toEqual({ epoch: 1, isEndToEndEncrypted: true, readers: 10, add: [], remove: [] });
    const hello = await say("carol", "hello, all ten of us");
    const others = NAMES.filter((name) => name !== "carol");
    expect((await readers(hello, others)).sort()).toEqual(others.sort());
  }, 60_000);

  it("removes a kicked, a banned and a departed member at the next commit; they read nothing after it", async () => {
    const admin = person("admin").account;
    const kick = await call(server, `/api/communities/${communityId}/members/${person("bob").account.id}/kick`, {
      token: admin.token,
      body: { reason: "testing removal" },
    });
    expect([200, 204]).toContain(kick.status);
    const ban = await call(server, `/api/communities/${communityId}/bans`, {
      token: admin.token,
      body: { userId: person("dave").account.id },
    });
    expect([200, 201, 204]).toContain(ban.status);
    const leave = await call(server, `/api/communities/${communityId}/leave`, {
      method: "POST",
      token: person("erin").account.token,
    });
    expect([200, 204]).toContain(leave.status);
    const removed = ["bob", "dave", "erin"];
    expect((await pending("frank")).remove.sort()).toEqual(
      removed.map((name) => person(name).account.sessionId).sort(),
    );
    // Two members see the pending removals at once and both commit: one wins, the other
    // catches up and finds nothing left to do.
    const results = await Promise.all([
      person("frank").device.commitPending(channelId),
      person("grace").device.commitPending(channelId),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await pending("frank")).toMatchObject({ epoch: 2, readers: 7, add: [], remove: [] });
    const after = await say("heidi", "only seven of us now");
    const listeners = NAMES.filter((name) => name !== "heidi");
    const stay = listeners.filter((name) => !removed.includes(name));
    expect((await readers(after, listeners)).sort()).toEqual(stay.sort());
    // Even handed the removal commit (recorded before the kick took effect, or passed on by
    // a server), a removed device does not reach the new epoch: it learns it was removed,
    // or cannot process the commit at all (it may no longer look up the others' keys).
    const log = await person("frank").device.api<{ commits: { epoch: number; commit: string }[] }>(
      "GET",
      `/api/channels/${channelId}/mls?fromEpoch=1`,
    );
    const bob = person("bob").device;
    await bob.processCommit(channelId, log.commits[0]!.commit).catch(() => {});
    const bobState = bob.groups.get(channelId)!.state;
    expect(bobState.groupActiveState.kind === "removedFromGroup" || bobState.groupContext.epoch === 1n).toBe(true);
    expect(await readers({ ...after }, ["bob"])).toEqual([]);
  }, 60_000);

  it("shares the history with a newcomer when the channel says from_start, and not when it says from_join", async () => {
    const before = await say("ivan", "said before kate came");
    await join("kate");
    expect((await pending("judy")).add.map((entry) => entry.userId)).toEqual([person("kate").account.id]);
    // #general is a public community channel: newcomers read it from its start. Judy's
    // commit adds kate, then seals the earlier epochs' history keys into the new epoch.
    expect(await person("judy").device.commitPending(channelId)).toBe(true);
    // Kate cannot reach the key directory when her Welcome comes (checking the members'
    // credentials needs it): no answer is not a refusal, so the Welcome waits for her.
    const kate = person("kate").device;
    kate.network.unreachable = /^\/api\/keys\/users\//;
    await expect(kate.acceptWelcomes()).rejects.toThrow("fetch failed");
    kate.network.unreachable = null;
    expect(await person("kate").device.acceptWelcomes()).toEqual([channelId]);
    const welcome = await say("judy", "welcome, kate");
    expect(await readers(welcome, ["kate", "admin", "carol"])).toEqual(["kate", "admin", "carol"]);
    await readLatest("kate");
    expect(await readers(before, ["kate"])).toEqual(["kate"]);

    // From now on newcomers read from their join: leo gets no history keys.
    const admin = person("admin").account;
    const changed = await call(server, `/api/channels/${channelId}`, {
      method: "PATCH",
      token: admin.token,
      body: { newcomerHistory: "from_join" },
    });
    expect(changed.body.channel.newcomerHistory).toBe("from_join");
    const beforeLeo = await say("ivan", "said before leo came");
    await join("leo");
    expect(await person("judy").device.commitPending(channelId)).toBe(true);
    expect(await person("leo").device.acceptWelcomes()).toEqual([channelId]);
    await readLatest("leo");
    expect(await readers(beforeLeo, ["leo"])).toEqual([]);
    expect(await readers(before, ["leo"])).toEqual([]);
    expect(await readers(await say("leo", "hello from leo"), ["kate", "judy"])).toEqual(["kate", "judy"]);
  }, 60_000);

  it("lets a member whose page went away between sending a commit and saving it take that commit up on return", async () => {
    const cipherSuite = await chatalotCiphersuite();
    const account = await registerOn(server, "nina", PASSWORD, { forwardedFor: nextAddress() });
    people.set("nina", { account, device: await SimulatedDevice.setUp(server, account, cipherSuite) });
    await join("nina");
    expect(await person("judy").device.commitPending(channelId)).toBe(true);
    expect(await person("nina").device.acceptWelcomes()).toEqual([channelId]);
    const kick = await call(server, `/api/communities/${communityId}/members/${account.id}/kick`, {
      token: person("admin").account.token,
      body: { reason: "testing a lost answer" },
    });
    expect([200, 204]).toContain(kick.status);

    // Judy commits nina's removal (a commit with a path); her state is saved at the checkpoint before it
    // went out, and the answer never is: her page went away.
    const judy = person("judy").device;
    let saved: DeviceSnapshot | undefined;
    judy.checkpoint = async () => {
      saved ??= judy.snapshot();
    };
    const epoch = judy.epochOf(channelId)!;
    expect(await judy.commitPending(channelId)).toBe(true);
    expect(judy.epochOf(channelId)).toBe(epoch + 1n);
    const returned = SimulatedDevice.fromSnapshot(judy.transport, cipherSuite, saved!);
    expect(returned.epochOf(channelId)).toBe(epoch);
    // Back, she finds her own commit in the log and takes the state she built (MLS cannot process one's own commit).
    await returned.catchUp(channelId);
    expect(returned.epochOf(channelId)).toBe(epoch + 1n);
    const after = await say("ivan", "after nina left");
    expect(await returned.read(after)).toBe("after nina left");

    // The answer to her next commit is lost on the network (stored, never heard): she keeps the step, and takes it up.
    const kickLeo = await call(server, `/api/communities/${communityId}/members/${person("leo").account.id}/kick`, {
      token: person("admin").account.token,
      body: { reason: "testing a lost answer" },
    });
    expect([200, 204]).toContain(kickLeo.status);
    const lossy = SimulatedDevice.fromSnapshot(
      {
        async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
          const answer = await judy.transport.request<T>(method, path, body);
          if (path.endsWith("/mls/commits")) throw new TypeError("fetch failed");
          return answer;
        },
      },
      cipherSuite,
      returned.snapshot(),
    );
    await expect(lossy.commitPending(channelId)).rejects.toThrow(/fetch failed/);
    expect(lossy.submitted.has(channelId)).toBe(true);
    await lossy.catchUp(channelId);
    expect(lossy.epochOf(channelId)).toBe(epoch + 2n);
    expect(await lossy.read(await say("ivan", "after leo left"))).toBe("after leo left");
  }, 60_000);
});
