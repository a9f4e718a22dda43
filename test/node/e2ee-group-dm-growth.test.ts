/**
 * A group DM that grows, with simulated devices against the production server:
 * alice, bob and carol talk in a group; alice adds dave. The server lists dave as a
 * pending add at once, but nobody's device takes the server's word for a newcomer to
 * a conversation: bob's device adds nobody (and cries no wolf). Alice's device adds
 * dave because alice chose him; bob and carol take alice's commit (a member's, signed
 * by her device), and dave reads what is said from then on, not before.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatalotCiphersuite } from "../../e2ee/index.ts";
import type { ChannelView, MessageView } from "../../protocol/index.ts";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { SimulatedDevice } from "../support/e2ee-device.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "a long enough password";
const NAMES = ["alice", "bob", "carol", "dave"] as const;
type Name = (typeof NAMES)[number];

let database: TestDatabase;
let server: RunningServer;
const accounts = new Map<Name, Account>();
const devices = new Map<Name, SimulatedDevice>();
const device = (name: Name) => devices.get(name)!;
const account = (name: Name) => accounts.get(name)!;
let group: ChannelView;
let before: MessageView;

async function say(speaker: Name, channelId: string, words: string): Promise<MessageView> {
  const socket = await device(speaker).connect(channelId);
  const clientId = `msg${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  socket.socket.send(JSON.stringify({ type: "send", clientId, payload: await device(speaker).seal(channelId, words) }));
  const { message } = await socket.next("ack", (frame) => frame.clientId === clientId);
  socket.close();
  return message;
}

beforeAll(async () => {
  database = await createTestDatabase("e2ee_group_dm_growth");
  server = await startServer({ databaseUrl: database.url, env: { ADMIN_USERNAME: "alice" } });
  for (const name of NAMES) accounts.set(name, await registerOn(server, name, PASSWORD));
  const community = await call(server, "/api/communities", { token: account("alice").token, body: { name: "Zebras" } });
  const invite = await call(server, `/api/communities/${community.body.community.id}/invites`, {
    token: account("alice").token,
    body: {},
  });
  for (const name of NAMES.slice(1)) {
    const joined = await call(server, "/api/community-invites/accept", {
      token: account(name).token,
      body: { code: invite.body.code },
    });
    expect(joined.status).toBe(200);
  }
  const cipherSuite = await chatalotCiphersuite();
  for (const name of NAMES) devices.set(name, await SimulatedDevice.setUp(server, account(name), cipherSuite));
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

describe("a group DM that grows", () => {
  it("starts with alice, bob and carol reading each other", async () => {
    group = (
      await device("alice").api<{ channel: ChannelView }>("POST", "/api/dms", {
        userIds: [account("bob").id, account("carol").id],
      })
    ).channel;
    await device("alice").startGroup(group.id);
    expect(await device("alice").commitPending(group.id)).toBe(true);
    expect(await device("bob").acceptWelcomes()).toEqual([group.id]);
    expect(await device("carol").acceptWelcomes()).toEqual([group.id]);
    before = await say("alice", group.id, "before dave");
    expect(await device("bob").read(before)).toBe("before dave");
  });

  it("is not grown by bob's device on the server's word, and bob is shown no refusal for it", async () => {
    await device("alice").api("POST", `/api/dms/${group.id}/participants`, { userIds: [account("dave").id] });
    expect(await device("bob").commitPending(group.id)).toBe(false);
    expect(device("bob").refusalsOf(group.id)).toEqual([]);
    expect(await device("dave").acceptWelcomes()).toEqual([]);
  });

  it("is grown by alice's device, who chose dave; bob and carol take her commit; dave reads from then on", async () => {
    await device("alice").welcomeToConversation(group.id, [account("dave").id]);
    expect(await device("alice").commitPending(group.id)).toBe(true);
    await device("bob").catchUp(group.id);
    await device("carol").catchUp(group.id);
    expect(device("bob").refusalsOf(group.id)).toEqual([]);
    expect(device("bob").epochOf(group.id)).toBe(device("alice").epochOf(group.id));
    expect(await device("dave").acceptWelcomes()).toEqual([group.id]);
    const after = await say("bob", group.id, "welcome, dave");
    expect(await device("dave").read(after)).toBe("welcome, dave");
    expect(await device("alice").read(after)).toBe("welcome, dave");
    expect(await device("carol").read(after)).toBe("welcome, dave");
    await expect(device("dave").read(before)).rejects.toThrow();
  });
});
