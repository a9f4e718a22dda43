/**
 * The server as the attacker of group membership. The clients (simulated devices
 * running the web app's encryption client) talk to the real server through
 * test/support/lying-server.ts, a proxy that a test turns into a liar: it lists a
 * device of its own for a DM, serves a ghost's External Commit in the handshake log,
 * says a DM is not end-to-end encrypted, marks a newcomer as entitled to the whole
 * history, hides a signed-out device from the removals. Each lie must fail: the
 * honest member's device refuses, visibly, or decides by its own rule, and the ghost
 * reads nothing.
 */
import { createCommit, joinGroupExternal, protocolVersions, wireformats, type MlsMessage } from "ts-mls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chatalotCiphersuite,
  decodeMlsMessage,
  encodeMlsMessage,
  mustEncrypt,
  newKeyPackage,
  RefusedChange,
  type RosterChange,
} from "../../e2ee/index.ts";
import {
  base64ToBytes,
  bytesToBase64,
  type ChannelView,
  type MessageView,
  type MlsCommitView,
  type MlsGroupView,
  type MlsPendingView,
} from "../../protocol/index.ts";
import { call, registerOn, signInOn, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { SimulatedDevice } from "../support/e2ee-device.ts";
import { startLyingServer, type LyingServer } from "../support/lying-server.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "a long enough password";

let database: TestDatabase;
let server: RunningServer;
let liar: LyingServer & RunningServer;
let cipherSuite: Awaited<ReturnType<typeof chatalotCiphersuite>>;
let communityId: string;
let inviteCode: string;
const accounts = new Map<string, Account>();
const devices = new Map<string, SimulatedDevice>();
const device = (name: string) => devices.get(name)!;
const account = (name: string) => accounts.get(name)!;
let address = 0;
const nextAddress = () => `198.19.${Math.floor(++address / 250)}.${(address % 250) + 1}`;

/** `speaker` sends `words` through the channel socket (behind the liar) and gets the stored message. */
async function say(speaker: string, channelId: string, words: string): Promise<MessageView> {
  const socket = await device(speaker).connect(channelId);
  const clientId = `msg${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  socket.socket.send(JSON.stringify({ type: "send", clientId, payload: await device(speaker).seal(channelId, words) }));
  const { message } = await socket.next("ack", (frame) => frame.clientId === clientId);
  socket.close();
  return message;
}

async function join(name: string): Promise<void> {
  const joined = await call(server, "/api/community-invites/accept", {
    token: account(name).token,
    body: { code: inviteCode },
    forwardedFor: nextAddress(),
  });
  if (joined.status !== 200) throw new Error(`${name} joining: ${joined.status} ${joined.text}`);
}

async function newChannel(name: string, settings: Record<string, unknown> = {}): Promise<string> {
  const created = await call(server, `/api/communities/${communityId}/channels`, {
    token: account("alice").token,
    body: { name },
  });
  if (created.status !== 201) throw new Error(`creating #${name}: ${created.status} ${created.text}`);
  if (Object.keys(settings).length > 0) {
    const changed = await call(server, `/api/channels/${created.body.channel.id}`, {
      method: "PATCH",
      token: account("alice").token,
      body: settings,
    });
    if (changed.status !== 200) throw new Error(`setting up #${name}: ${changed.status} ${changed.text}`);
  }
  return created.body.channel.id;
}

/** The users in a device's view of the channel's group, by the tree. */
const usersIn = (name: string, channelId: string) =>
  [
    ...new Set(
      device(name)
        .rosterOf(channelId)
        .map((entry) => entry.userId),
    ),
  ].sort();

/**
 * An External Commit the attacker's own device builds from the group's GroupInfo (which
 * the server keeps, for joins): what a server would slip into the handshake log.
 */
async function externalCommitBy(name: string, channelId: string): Promise<{ epoch: number; commit: string }> {
  const { group } = await device("alice").api<{ group: MlsGroupView }>("GET", `/api/channels/${channelId}/mls`);
  const groupInfo = decodeMlsMessage(base64ToBytes(group.groupInfo));
  if (groupInfo.wireformat !== wireformats.mls_group_info) throw new Error("not a GroupInfo");
  const attacker = device(name);
  const own = await newKeyPackage(cipherSuite, attacker.identity);
  const { publicMessage } = await joinGroupExternal({
    context: attacker.keys.context,
    groupInfo: groupInfo.groupInfo,
    keyPackage: own.publicPackage,
    privateKeys: own.privatePackage,
    resync: false,
  });
  const message = { version: protocolVersions.mls10, wireformat: wireformats.mls_public_message, publicMessage };
  return { epoch: group.epoch, commit: bytesToBase64(encodeMlsMessage(message as MlsMessage)) };
}

/** The liar serves `commit` as the next entry of the channel's handshake log. */
function slipIntoLog(channelId: string, forged: { epoch: number; commit: string }, committerDeviceId: string): void {
  liar.responseLies.push((request, status, body: { group: MlsGroupView; commits: MlsCommitView[] }) => {
    if (status !== 200 || !request.path.startsWith(`/api/channels/${channelId}/mls?`)) return undefined;
    const entry: MlsCommitView = {
      epoch: forged.epoch,
      commit: forged.commit,
      committerDeviceId,
      createdAt: new Date().toISOString(),
    };
    return { ...body, commits: [...body.commits.filter((known) => known.epoch < forged.epoch), entry] };
  });
}

beforeAll(async () => {
  database = await createTestDatabase("e2ee_lying_server");
  server = await startServer({ databaseUrl: database.url, env: { TRUSTED_PROXIES: "127.0.0.1" } });
  liar = await startLyingServer(server);
  cipherSuite = await chatalotCiphersuite();
  for (const name of ["alice", "bob", "carol", "dave", "erin", "mallory"]) {
    // alice is the instance's admin (the username the server is configured with), who may create communities.
    const username = name === "alice" ? "admin" : name;
    accounts.set(name, await registerOn(server, username, PASSWORD, { forwardedFor: nextAddress() }));
    // The honest people's devices talk to the liar; mallory is the attacker's own device, on the real server.
    devices.set(name, await SimulatedDevice.setUp(name === "mallory" ? server : liar, account(name), cipherSuite));
  }
  const created = await call(server, "/api/communities", { token: account("alice").token, body: { name: "Lied to" } });
  communityId = created.body.community.id;
  inviteCode = (
    await call(server, `/api/communities/${communityId}/invites`, { token: account("alice").token, body: {} })
  ).body.code;
  for (const name of ["bob", "carol"]) await join(name);
}, 120_000);

afterAll(async () => {
  await liar?.stop();
  await server?.stop();
  await database?.stop();
});

describe("a DM whose server lies about who is in it", () => {
  let dm: string;

  it("never adds a device the server lists that is not one of the conversation's people, and says so", async () => {
    dm = (await device("alice").api<{ channel: ChannelView }>("POST", "/api/dms", { userIds: [account("bob").id] }))
      .channel.id;
    liar.responseLies.push((request, status, body: MlsPendingView) => {
      if (status !== 200 || request.path !== `/api/channels/${dm}/mls/pending`) return undefined;
      const ghost = { userId: account("mallory").id, deviceIds: [account("mallory").sessionId], readsFromStart: true };
      return { ...body, add: [...body.add, ghost] };
    });
    await device("alice").startGroup(dm);
    expect(await device("alice").commitPending(dm)).toBe(true);
    liar.tellTheTruth();
    expect(usersIn("alice", dm)).toEqual([account("alice").id, account("bob").id].sort());
    expect(device("alice").refusalsOf(dm)).toEqual([
      expect.objectContaining({
        userId: account("mallory").id,
        reason: expect.stringMatching(/not in this conversation/),
      }),
    ]);
    expect(await device("mallory").acceptWelcomes()).toEqual([]);
    expect(await device("bob").acceptWelcomes()).toEqual([dm]);
    const said = await say("alice", dm, "only for bob");
    expect(await device("bob").read(said)).toBe("only for bob");
    await expect(device("mallory").read(said)).rejects.toThrow();
  });

  it("refuses a ghost's External Commit served in the handshake log: the epoch stays, the refusal shows", async () => {
    const epoch = device("bob").epochOf(dm);
    slipIntoLog(dm, await externalCommitBy("mallory", dm), account("mallory").sessionId);
    const caught = await device("bob")
      .catchUp(dm)
      .then(
        () => null,
        (error: unknown) => error,
      );
    liar.tellTheTruth();
    expect(caught).toBeInstanceOf(RefusedChange);
    expect(String(caught)).toMatch(/not in this conversation/);
    expect(device("bob").epochOf(dm)).toBe(epoch);
    expect(device("bob").refusalsOf(dm).at(-1)).toMatchObject({ userId: account("mallory").id });
    // The honest log goes on: what alice says next is still read.
    const said = await say("alice", dm, "still just us");
    expect(await device("bob").read(said)).toBe("still just us");
  });

  it("keeps encrypting when the server says the DM is not end-to-end encrypted, and refuses its plaintext", async () => {
    // The lie: the conversation is now a huge community channel without a group.
    liar.responseLies.push((request, status, body) => {
      if (status !== 200) return undefined;
      if (request.path === `/api/channels/${dm}/mls/pending`) {
        return { ...(body as MlsPendingView), isEndToEndEncrypted: false, epoch: null, readers: 5000 };
      }
      if (request.path === `/api/channels/${dm}`) {
        const { channel } = body as { channel: ChannelView };
        return { channel: { ...channel, kind: "text", communityId, participants: undefined } };
      }
      return undefined;
    });
    const pending = await device("bob").api<MlsPendingView>("GET", `/api/channels/${dm}/mls/pending`);
    const facts = await device("bob").factsOf(dm);
    const bobMustEncrypt = mustEncrypt({
      isConversation: facts.isConversation,
      holdsKeys: device("bob").historyKeysOf(dm).size > 0,
      groupExists: pending.epoch !== null,
      serverSaysEncrypted: pending.isEndToEndEncrypted,
    });
    // What a device that never saw this DM before would be told: a channel without a group.
    const strangerFacts = await device("carol")
      .factsOf(dm)
      .catch(() => null);
    liar.tellTheTruth();
    expect(pending.isEndToEndEncrypted).toBe(false);
    expect(facts.isConversation).toBe(true);
    expect(facts.participants?.sort()).toEqual([account("alice").id, account("bob").id].sort());
    expect(bobMustEncrypt).toBe(true);
    expect(strangerFacts).toBeNull(); // carol is not in the DM: the real server answers 404 behind the lie
    // A message the server wrote in clear, shown as alice's: not read as hers.
    const plain: MessageView = {
      ...(await say("alice", dm, "a real one")),
      payload: bytesToBase64(new TextEncoder().encode(JSON.stringify({ kind: "text", text: "send me the code" }))),
      senderDeviceId: null,
    };
    await expect(device("bob").read(plain)).rejects.toThrow(/encrypt/i);
  });
});

describe("a community channel whose server lies about its group", () => {
  it("refuses an External Commit from a device of someone not in the group", async () => {
    const channelId = await newChannel("side");
    await device("alice").startGroup(channelId);
    expect(await device("alice").commitPending(channelId)).toBe(true); // bob and carol
    // carol may view the channel; her second device was never added, yet tries to join by itself.
    const carolElsewhere = await signInOn(server, "carol", PASSWORD, { forwardedFor: nextAddress() });
    devices.set(
      "carol-2",
      await SimulatedDevice.setUp(server, carolElsewhere, cipherSuite, { accountKeys: device("carol").accountKeys }),
    );
    // Remove carol from the group first (as the server may), then let her other device knock.
    liar.responseLies.push((request, status, body: MlsPendingView) => {
      if (status !== 200 || request.path !== `/api/channels/${channelId}/mls/pending`) return undefined;
      return { ...body, add: [], remove: [account("carol").sessionId] };
    });
    expect(await device("alice").commitPending(channelId)).toBe(true);
    liar.tellTheTruth();
    expect(usersIn("alice", channelId)).toEqual([account("alice").id, account("bob").id].sort());
    slipIntoLog(channelId, await externalCommitBy("carol-2", channelId), carolElsewhere.sessionId);
    const caught = await device("alice")
      .catchUp(channelId)
      .then(
        () => null,
        (error: unknown) => error,
      );
    liar.tellTheTruth();
    expect(caught).toBeInstanceOf(RefusedChange);
    expect(String(caught)).toMatch(/not in the group tried to join it by itself/);
  });

  it("gives a newcomer the history of a channel that reads from the start, whatever a member shares first", async () => {
    const channelId = await newChannel("open", { newcomerHistory: "from_start" });
    await device("alice").startGroup(channelId);
    await device("alice").commitPending(channelId);
    await device("bob").acceptWelcomes();
    await device("carol").acceptWelcomes();
    const early = await say("bob", channelId, "said before dave came");
    await join("dave");
    const { historyShares } = await device("alice").applyPending(channelId);
    expect(historyShares).toHaveLength(1);
    // carol, a member, sends her own "history keys" first: random bytes for every epoch.
    await device("carol").catchUp(channelId);
    const shared = historyShares[0] as { kind: "history-keys"; keys: Record<string, string> };
    const bogus = Object.fromEntries(
      Object.keys(shared.keys).map((epoch) => [epoch, bytesToBase64(crypto.getRandomValues(new Uint8Array(32)))]),
    );
    await device("carol").send(channelId, { kind: "history-keys", keys: bogus });
    await device("alice").send(channelId, shared);
    expect(await device("dave").acceptWelcomes()).toEqual([channelId]);
    const page = await device("dave").api<{ messages: MessageView[] }>(
      "GET",
      `/api/channels/${channelId}/messages?limit=20`,
    );
    // Oldest first: carol's share is read before alice's.
    for (const message of [...page.messages].sort((a, b) => a.seq - b.seq)) {
      await device("dave")
        .read(message)
        .catch(() => undefined);
    }
    expect(await device("dave").read(early)).toBe("said before dave came");
  });

  it("shares no history with a newcomer to a from_join channel, even when the server says they read from the start", async () => {
    const channelId = await newChannel("quiet", { newcomerHistory: "from_join" });
    await device("alice").startGroup(channelId);
    await device("alice").commitPending(channelId);
    for (const name of ["bob", "carol", "dave"]) await device(name).acceptWelcomes();
    const before = await say("alice", channelId, "before erin");
    await join("erin");
    liar.responseLies.push((request, status, body: MlsPendingView) => {
      if (status !== 200 || request.path !== `/api/channels/${channelId}/mls/pending`) return undefined;
      return { ...body, add: body.add.map((entry) => ({ ...entry, readsFromStart: true })) };
    });
    const { committed, historyShares } = await device("alice").applyPending(channelId);
    liar.tellTheTruth();
    expect(committed).toBe(true);
    expect(historyShares).toEqual([]);
    expect(await device("erin").acceptWelcomes()).toEqual([channelId]);
    await expect(device("erin").read(before)).rejects.toThrow(/holds no key/);
    expect(await device("erin").read(await say("alice", channelId, "after erin"))).toBe("after erin");
  });

  it("seals no history share in an epoch that also admitted someone not entitled to its keys", async () => {
    const channelId = await newChannel("guarded", { newcomerHistory: "from_join" });
    // Only bob at first (the server may add people in any order).
    liar.responseLies.push((request, status, body: MlsPendingView) => {
      if (status !== 200 || request.path !== `/api/channels/${channelId}/mls/pending`) return undefined;
      return { ...body, add: body.add.filter((entry) => entry.userId === account("bob").id) };
    });
    await device("alice").startGroup(channelId);
    await device("alice").commitPending(channelId);
    liar.tellTheTruth();
    await device("bob").acceptWelcomes();
    const secret = await say("bob", channelId, "only alice and bob were here");
    // bob's phone joins by itself (a further device of his): alice could share the epochs he was in.
    const bobPhone = await signInOn(server, "bob", PASSWORD, { forwardedFor: nextAddress() });
    devices.set(
      "bob-phone",
      await SimulatedDevice.setUp(liar, bobPhone, cipherSuite, { accountKeys: device("bob").accountKeys }),
    );
    await device("bob-phone").joinExternally(channelId);
    await device("alice").catchUp(channelId);
    const share = device("alice").historyShare(channelId);
    expect(Object.keys(share.keys).length).toBeGreaterThan(0);
    // Before alice sends it, carol is added: the share would now be sealed where carol reads it.
    const carolAdded = await device("alice").applyPending(channelId);
    expect(carolAdded.committed).toBe(true);
    await device("alice").send(channelId, share);
    await device("carol").acceptWelcomes();
    const page = await device("carol").api<{ messages: MessageView[] }>(
      "GET",
      `/api/channels/${channelId}/messages?limit=20`,
    );
    for (const message of page.messages)
      await device("carol")
        .read(message)
        .catch(() => undefined);
    await expect(device("carol").read(secret)).rejects.toThrow(/holds no key/);
    const withCarol = await say("bob", channelId, "now with carol");
    await device("bob-phone").catchUp(channelId);
    expect(await device("bob-phone").read(withCarol)).toBe("now with carol");
  });

  it("removes a signed-out device even when the server leaves it out of the removals", async () => {
    const channelId = await newChannel("revoked");
    const bobLaptop = await signInOn(server, "bob", PASSWORD, { forwardedFor: nextAddress() });
    devices.set(
      "bob-laptop",
      await SimulatedDevice.setUp(liar, bobLaptop, cipherSuite, { accountKeys: device("bob").accountKeys }),
    );
    await device("alice").startGroup(channelId);
    await device("alice").commitPending(channelId);
    expect(
      device("alice")
        .rosterOf(channelId)
        .map((entry) => entry.deviceId),
    ).toContain(bobLaptop.sessionId);
    const revoked = await call(server, `/api/sessions/${bobLaptop.sessionId}`, {
      method: "DELETE",
      token: account("bob").token,
    });
    expect(revoked.status, revoked.text).toBe(204);
    liar.responseLies.push((request, status, body: MlsPendingView) => {
      if (status !== 200 || request.path !== `/api/channels/${channelId}/mls/pending`) return undefined;
      return { ...body, remove: [] };
    });
    const changes: RosterChange[] = [];
    device("alice").onRosterChange = (change) => changes.push(change);
    expect(await device("alice").commitPending(channelId)).toBe(true);
    liar.tellTheTruth();
    expect(
      device("alice")
        .rosterOf(channelId)
        .map((entry) => entry.deviceId),
    ).not.toContain(bobLaptop.sessionId);
    expect(changes.at(-1)).toMatchObject({
      channelId,
      removed: [{ userId: account("bob").id, deviceId: bobLaptop.sessionId }],
    });
  });

  it("founds the group again when a member's device is served a commit it cannot process: both read on, before and after", async () => {
    const channelId = await newChannel("mended");
    await device("alice").startGroup(channelId);
    expect(await device("alice").commitPending(channelId)).toBe(true);
    expect(await device("bob").acceptWelcomes()).toContain(channelId);
    const before = [await say("alice", channelId, "before it broke"), await say("bob", channelId, "me too")];
    expect(await device("bob").read(before[0]!)).toBe("before it broke");
    expect(await device("alice").read(before[1]!)).toBe("me too");

    // The lie, told bob once: a commit of alice's at his epoch, never posted, with its last byte
    // (the membership tag's) changed. It decodes, names her device, and no member can process it.
    const epoch = Number(device("bob").epochOf(channelId));
    const { commit } = await createCommit({
      context: device("alice").keys.context,
      state: device("alice").groups.get(channelId)!.state,
      extraProposals: [],
      ratchetTreeExtension: true,
      wireAsPublicMessage: true,
    });
    const garbled = encodeMlsMessage(commit);
    garbled[garbled.length - 1]! ^= 1;
    let isTold = false;
    liar.responseLies.push((request, status, body: { group: MlsGroupView; commits: MlsCommitView[] }) => {
      if (isTold || status !== 200 || !request.path.startsWith(`/api/channels/${channelId}/mls?`)) return undefined;
      isTold = true;
      const entry: MlsCommitView = {
        epoch,
        commit: bytesToBase64(garbled),
        committerDeviceId: account("alice").sessionId,
        createdAt: new Date().toISOString(),
      };
      return { ...body, commits: [...body.commits.filter((known) => known.epoch < epoch), entry] };
    });
    await device("bob").catchUp(channelId);
    liar.tellTheTruth();
    expect(isTold).toBe(true);
    // bob's device founded the group again through the real server and added everyone back.
    expect(device("bob").refusalsOf(channelId).at(-1)).toMatchObject({
      isRefounding: true,
      deviceId: account("alice").sessionId,
      reason: expect.stringMatching(/encryption was started again/),
    });
    const { group } = await device("bob").groupOf(channelId);
    expect(group).toMatchObject({ generation: 1, epoch: 1 });
    expect(usersIn("bob", channelId)).toContain(account("alice").id);

    // alice's next step finds the new generation; she joins it by bob's Welcome.
    const after = await say("alice", channelId, "after it was mended");
    expect(device("alice").groups.get(channelId)?.generation).toBe(1);
    expect(device("alice").refusalsOf(channelId).at(-1)).toMatchObject({
      isRefounding: true,
      userId: account("bob").id,
      reason: expect.stringMatching(/encryption was started again by a member's device/),
    });
    expect(await device("bob").read(after)).toBe("after it was mended");
    expect(await device("alice").read(await say("bob", channelId, "glad to hear it"))).toBe("glad to hear it");
    // What was said before, sealed in the first generation's epochs (whose numbers the new one reuses).
    for (const name of ["alice", "bob"]) {
      expect(await device(name).read(before[0]!)).toBe("before it broke");
      expect(await device(name).read(before[1]!)).toBe("me too");
    }
    // Saved (and backed up) apart: the new generation's group, and the first one's keys by themselves.
    const saved = device("alice").snapshot();
    expect(saved.groups.find((group) => group.channelId === channelId)?.generation).toBe(1);
    expect(saved.restoredHistory.map((entry) => entry.channelId)).toContain(`${channelId}#g0`);
  });

  // Last: bob starts over here, which retires his earlier devices.
  it("cuts off a stolen device when its person starts over: it cannot join again by External Commit", async () => {
    const channelId = await newChannel("stolen");
    const stolen = await signInOn(server, "bob", PASSWORD, { forwardedFor: nextAddress() });
    devices.set(
      "bob-stolen",
      await SimulatedDevice.setUp(liar, stolen, cipherSuite, { accountKeys: device("bob").accountKeys }),
    );
    await device("alice").startGroup(channelId);
    await device("alice").commitPending(channelId);
    expect(
      device("alice")
        .rosterOf(channelId)
        .map((entry) => entry.deviceId),
    ).toContain(stolen.sessionId);

    // bob starts over on a new device (his password confirms it); the thief keeps the old session.
    const fresh = await signInOn(server, "bob", PASSWORD, { forwardedFor: nextAddress() });
    const newKeys = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const raw = new Uint8Array((await crypto.subtle.exportKey("raw", newKeys.publicKey)) as ArrayBuffer);
    const replaced = await call(server, "/api/keys/account", {
      method: "PUT",
      token: fresh.token,
      body: { publicKey: bytesToBase64(raw), password: PASSWORD },
    });
    expect(replaced.status, replaced.text).toBe(201);
    devices.set("bob-new", await SimulatedDevice.setUp(liar, fresh, cipherSuite, { accountKeys: newKeys }));
    // alice compares the new safety number and accepts the key; her device removes the old ones, adds the new.
    await device("alice").decideTrust(account("bob").id, raw, true);
    expect(await device("alice").commitPending(channelId)).toBe(true);
    const after = device("alice")
      .rosterOf(channelId)
      .map((entry) => entry.deviceId);
    expect(after).toContain(fresh.sessionId);
    expect(after).not.toContain(stolen.sessionId);

    // The thief's External Commit: the delivery service refuses it outright…
    const forged = await externalCommitBy("bob-stolen", channelId);
    const posted = await call(server, `/api/channels/${channelId}/mls/commits`, {
      token: stolen.token,
      body: { epoch: forged.epoch, commit: forged.commit, groupInfo: forged.commit, memberDeviceIds: after },
    });
    expect(posted.status).toBe(409);
    expect(posted.body.error.code).toBe("device_key_replaced");
    // …and a server that serves it anyway finds alice's device refusing it: only bob's current key vouches.
    slipIntoLog(channelId, forged, stolen.sessionId);
    const caught = await device("alice")
      .catchUp(channelId)
      .then(
        () => null,
        (error: unknown) => error,
      );
    liar.tellTheTruth();
    expect(caught).toBeInstanceOf(RefusedChange);
    expect(String(caught)).toMatch(/current account key/);
  });
});
