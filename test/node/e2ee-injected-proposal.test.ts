/**
 * The server as the attacker of a group DM, by a proposal: alice, bob and carol talk in
 * a group DM; the server registers an account of its own, eve, with a device and its
 * KeyPackages, and serves every member, in the channel's handshake log, an MLS Add
 * proposal for eve's device (a PublicMessage from a "new member", signed by eve's own
 * key: ts-mls would keep it among the unapplied proposals, and a member's next commit
 * would sweep it in under that member's signature). Then bob adds dave, a commit of his
 * own choosing. Eve must come in nowhere: in no honest device's roster, in no Welcome
 * she can use (not even the one bob sent dave, which the server holds), and she cannot
 * open what alice says next.
 */
import { joinGroup, proposeAddExternal, wireformats, type ClientState } from "ts-mls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatalotCiphersuite, decodeMlsMessage, encodeMlsMessage, historyKeyOf } from "../../e2ee/index.ts";
import {
  base64ToBytes,
  bytesToBase64,
  type ChannelView,
  type MessageView,
  type MlsCommitView,
  type MlsGroupView,
} from "../../protocol/index.ts";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { SimulatedDevice } from "../support/e2ee-device.ts";
import { startLyingServer, type LyingServer } from "../support/lying-server.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "a long enough password";
const HONEST = ["alice", "bob", "carol", "dave"] as const;

let database: TestDatabase;
let server: RunningServer;
let liar: LyingServer & RunningServer;
let cipherSuite: Awaited<ReturnType<typeof chatalotCiphersuite>>;
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

const devicesIn = (name: string, channelId: string) =>
  device(name)
    .rosterOf(channelId)
    .map((entry) => entry.deviceId);

beforeAll(async () => {
  database = await createTestDatabase("e2ee_injected_proposal");
  server = await startServer({
    databaseUrl: database.url,
    env: { ADMIN_USERNAME: "alice", TRUSTED_PROXIES: "127.0.0.1" },
  });
  liar = await startLyingServer(server);
  cipherSuite = await chatalotCiphersuite();
  for (const name of [...HONEST, "eve"]) {
    accounts.set(name, await registerOn(server, name, PASSWORD, { forwardedFor: nextAddress() }));
    // The honest people's devices talk to the liar; eve's is the attacker's own, on the real server.
    devices.set(name, await SimulatedDevice.setUp(name === "eve" ? server : liar, account(name), cipherSuite));
  }
  const community = await call(server, "/api/communities", { token: account("alice").token, body: { name: "Zebras" } });
  const invite = await call(server, `/api/communities/${community.body.community.id}/invites`, {
    token: account("alice").token,
    body: {},
  });
  // eve too: the server may put an account of its own anywhere.
  for (const name of ["bob", "carol", "dave", "eve"]) {
    const joined = await call(server, "/api/community-invites/accept", {
      token: account(name).token,
      body: { code: invite.body.code },
      forwardedFor: nextAddress(),
    });
    if (joined.status !== 200) throw new Error(`${name} joining: ${joined.status} ${joined.text}`);
  }
}, 120_000);

afterAll(async () => {
  await liar?.stop();
  await server?.stop();
  await database?.stop();
});

describe("a group DM whose server slips an Add proposal for a device of its own into the log", () => {
  let dm: string;
  let servedProposal = 0;

  it("starts with alice, bob and carol reading each other", async () => {
    dm = (
      await device("alice").api<{ channel: ChannelView }>("POST", "/api/dms", {
        userIds: [account("bob").id, account("carol").id],
      })
    ).channel.id;
    await device("alice").startGroup(dm);
    expect(await device("alice").commitPending(dm)).toBe(true);
    expect(await device("bob").acceptWelcomes()).toEqual([dm]);
    expect(await device("carol").acceptWelcomes()).toEqual([dm]);
    const said = await say("alice", dm, "just the three of us");
    expect(await device("bob").read(said)).toBe("just the three of us");
  });

  it("takes in neither eve's device when bob's device commits, nor gives her a Welcome or a message", async () => {
    // The attacker's proposal: eve's device (one of the KeyPackages it uploaded) added to the
    // group at its current epoch, a "new member proposal" signed by eve's own key, built from
    // the GroupInfo the server keeps.
    const { group } = await device("alice").api<{ group: MlsGroupView }>("GET", `/api/channels/${dm}/mls`);
    const groupInfo = decodeMlsMessage(base64ToBytes(group.groupInfo));
    if (groupInfo.wireformat !== wireformats.mls_group_info) throw new Error("not a GroupInfo");
    const eveKeys = device("eve").keys.keyPackages()[0]!;
    const proposal = await proposeAddExternal(
      groupInfo.groupInfo,
      eveKeys.publicPackage,
      eveKeys.privatePackage,
      cipherSuite,
    );
    expect(device("bob").epochOf(dm)).toBe(BigInt(group.epoch));
    const forged: MlsCommitView = {
      epoch: group.epoch,
      commit: bytesToBase64(encodeMlsMessage(proposal)),
      committerDeviceId: account("eve").sessionId,
      createdAt: new Date().toISOString(),
    };
    // The lie, told every member who reads the log from that epoch: the proposal first, then
    // the real commits (bob's, to come) after it.
    liar.responseLies.push((request, status, body: { group: MlsGroupView; commits: MlsCommitView[] }) => {
      if (status !== 200 || !request.path.startsWith(`/api/channels/${dm}/mls?`)) return undefined;
      const from = Number(new URL(request.path, "http://x").searchParams.get("fromEpoch") ?? 0);
      if (from > forged.epoch) return undefined;
      servedProposal++;
      return {
        ...body,
        commits: [
          ...body.commits.filter((known) => known.epoch < forged.epoch),
          forged,
          ...body.commits.filter((known) => known.epoch >= forged.epoch),
        ],
      };
    });

    // bob adds dave from his own device (the product's path): his commit, of his own choosing.
    await device("bob").api("POST", `/api/dms/${dm}/participants`, { userIds: [account("dave").id] });
    await device("bob").welcomeToConversation(dm, [account("dave").id]);
    expect(await device("bob").commitPending(dm)).toBe(true);
    expect(servedProposal).toBeGreaterThan(0); // bob's device was served the proposal before it committed
    expect(devicesIn("bob", dm)).toContain(account("dave").sessionId);

    // alice and carol read the same lying log (the proposal, then bob's commit) and take bob's commit.
    await device("alice").catchUp(dm);
    await device("carol").catchUp(dm);
    expect.soft(await device("dave").acceptWelcomes(), "dave's Welcome").toEqual([dm]);
    // Soft: a device that took the proposal in breaks more than one of these, each worth seeing.
    const epoch = device("bob").epochOf(dm);
    for (const name of HONEST) {
      expect.soft(device(name).epochOf(dm), name).toBe(epoch);
      expect.soft(devicesIn(name, dm), name).not.toContain(account("eve").sessionId);
      expect.soft(devicesIn(name, dm), name).toContain(account("dave").sessionId);
      expect.soft(device(name).refusalsOf(dm), name).toEqual([]);
    }

    // eve is sent no Welcome; and none the server saw (it holds every Welcome a member posts,
    // bob's to dave included) lets her in with the KeyPackage of the proposal, or any other of hers.
    expect(await device("eve").acceptWelcomes()).toEqual([]);
    const welcomes = liar.requests
      .filter((request) => request.method === "POST" && request.path === `/api/channels/${dm}/mls/commits`)
      .map((request) => (request.body as { welcome?: string }).welcome)
      .filter((welcome): welcome is string => typeof welcome === "string");
    expect(welcomes.length).toBeGreaterThan(0);
    let joined: ClientState | null = null;
    for (const welcome of welcomes) {
      const message = decodeMlsMessage(base64ToBytes(welcome));
      if (message.wireformat !== wireformats.mls_welcome) throw new Error("not a Welcome");
      for (const pair of device("eve").keys.keyPackages()) {
        joined ??= await joinGroup({
          context: device("eve").keys.context,
          welcome: message.welcome,
          keyPackage: pair.publicPackage,
          privateKeys: pair.privatePackage,
        }).catch(() => null);
      }
    }
    // Whatever she got in, her device would hold (so that the read below is a fair try).
    if (joined) {
      device("eve").groups.set(dm, {
        state: joined,
        historyKeys: new Map([[joined.groupContext.epoch, await historyKeyOf(joined, cipherSuite)]]),
        rosters: new Map(),
        generation: 0,
      });
    }
    expect.soft(joined?.groupContext.epoch ?? null, "the epoch a Welcome let eve into").toBeNull();

    // What alice says next: her friends read it, eve cannot.
    const after = await say("alice", dm, "welcome, dave (and nobody else)");
    liar.tellTheTruth();
    for (const name of ["bob", "carol", "dave"]) {
      const read = await device(name)
        .read(after)
        .catch((error: unknown) => `unreadable: ${(error as Error).message}`);
      expect.soft(read, name).toBe("welcome, dave (and nobody else)");
    }
    await expect(device("eve").read(after)).rejects.toThrow();
  });
});
