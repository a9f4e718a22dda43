/**
 * Backups that restore, natively: an instance with alice (the admin), bob (with
 * two-factor) and carol (a Moderator in the Town community), an end-to-end encrypted DM,
 * a file and a read position is backed up by scripts/backup.sh while carol keeps
 * sending, restored by scripts/restore.sh into a fresh database and fresh directories,
 * and a server started on the copy serves all of it; bob's new device, restored from his
 * key backup, reads the DM. test/node/backup-refusals.test.ts has what the scripts refuse.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unpackFrames, type ChannelView, type MessageView, type ServerFrame } from "../../protocol/index.ts";
import { chatalotCiphersuite, newRecoveryKey } from "../../e2ee/index.ts";
import { call, oathtool, openChannelSocket, registerOn, signInOn, type Account } from "../support/accounts.ts";
import {
  backUp,
  journal,
  newInstance,
  removeInstances,
  restore,
  run,
  start,
  temporary,
  type Instance,
} from "../support/backup-instances.ts";
import { SimulatedDevice } from "../support/e2ee-device.ts";
import { root, type RunningServer } from "../support/server.ts";

const PASSWORD = "a long enough password";
const SEND_INTERVAL_MS = 120;
const SAID = ["the keys are under the mat", "and the door code is new"];
const FILE = Buffer.from(crypto.getRandomValues(new Uint8Array(3_000)));

let source: Instance, copy: Instance;
let alice: Account, bob: Account, carol: Account;
let communityId = "",
  generalId = "",
  fileId = "",
  totpSecret = "";
let dm: ChannelView;
const recoveryKey = newRecoveryKey();
const out = temporary("archives");
let archive = "";
/** carol's messages, in the order the server acknowledged them, and how many were acknowledged before the backup began. */
const acknowledged: { clientId: string; seq: number }[] = [];
let acknowledgedBeforeBackup = 0;

beforeAll(async () => {
  source = await newInstance("backup_source");
  const server = await start(source);
  alice = await registerOn(server, "admin", PASSWORD);
  bob = await registerOn(server, "bob", PASSWORD);
  carol = await registerOn(server, "carol", PASSWORD);
}, 60_000);

afterAll(removeInstances);

/** carol's socket in #general, sending one message after another until told to stop. */
async function keepSending(server: RunningServer): Promise<{ stop(): Promise<void> }> {
  const { socket } = await openChannelSocket(server, carol, generalId);
  const waiting = new Map<string, (message: MessageView) => void>();
  let refusal: Error | undefined;
  socket.on("message", (data) => {
    for (const frame of unpackFrames(JSON.parse(String(data)) as ServerFrame)) {
      if (frame.type === "ack") waiting.get(frame.clientId)?.(frame.message);
      if (frame.type !== "error") continue;
      refusal = new Error(`carol's message was refused: ${JSON.stringify(frame)}`);
      for (const resolve of waiting.values()) resolve(undefined as never);
    }
  });
  let isSending = true;
  const sending = (async () => {
    for (let index = 0; isSending; index++) {
      const clientId = `backup-${String(index).padStart(6, "0")}`;
      if (refusal) throw refusal;
      const acked = new Promise<MessageView>((resolve) => waiting.set(clientId, resolve));
      socket.send(JSON.stringify({ type: "send", clientId, payload: Buffer.from(`note ${index}`).toString("base64") }));
      const message = await acked;
      if (refusal) throw refusal;
      acknowledged.push({ clientId, seq: message.seq });
      // A person's pace, under the room's ten frames a second per socket.
      await new Promise((resolve) => setTimeout(resolve, SEND_INTERVAL_MS));
    }
  })();
  return {
    async stop() {
      isSending = false;
      await sending;
      socket.close();
    },
  };
}

describe("scripts/backup.sh and scripts/restore.sh", () => {
  it("fill an instance: two-factor, a role, an encrypted DM with a key backup, a file, a read position", async () => {
    const server = source.server!;

    communityId = (await call(server, "/api/communities", { token: alice.token, body: { name: "Town" } })).body
      .community.id;
    const invite = await call(server, `/api/communities/${communityId}/invites`, { token: alice.token, body: {} });
    for (const member of [bob, carol])
      await call(server, "/api/community-invites/accept", { token: member.token, body: { code: invite.body.code } });
    const role = await call(server, `/api/communities/${communityId}/roles`, {
      token: alice.token,
      body: { name: "Moderators", permissions: ["MANAGE_MESSAGES"] },
    });
    const given = await call(server, `/api/communities/${communityId}/members/${carol.id}/roles/${role.body.role.id}`, {
      method: "PUT",
      token: alice.token,
    });
    expect(given.status, given.text).toBeLessThan(300);
    const channels = await call(server, `/api/communities/${communityId}/channels`, { token: alice.token });
    generalId = channels.body.channels.find((channel: { name: string }) => channel.name === "general").id;

    const cipherSuite = await chatalotCiphersuite();
    const [aliceDevice, bobDevice] = await Promise.all([
      SimulatedDevice.setUp(server, alice, cipherSuite),
      SimulatedDevice.setUp(server, bob, cipherSuite),
    ]);
    dm = (await aliceDevice.api<{ channel: ChannelView }>("POST", "/api/dms", { userIds: [bob.id] })).channel;
    await aliceDevice.startGroup(dm.id);
    await aliceDevice.commitPending(dm.id);
    await bobDevice.acceptWelcomes();
    for (const words of SAID) await aliceDevice.send(dm.id, { kind: "text", text: words });
    expect(await bobDevice.backUp(recoveryKey)).toBe(1);

    const upload = await call(server, `/api/channels/${generalId}/uploads`, {
      token: alice.token,
      body: { size: FILE.length },
    });
    fileId = upload.body.upload.id;
    const part = await fetch(`${server.url}/api/uploads/${fileId}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${alice.token}`, "Upload-Offset": "0" },
      body: FILE,
    });
    expect(part.status).toBe(200);
    const { socket } = await openChannelSocket(server, alice, generalId);
    const answer = new Promise<ServerFrame>((resolve) =>
      socket.on("message", (data) => {
        for (const frame of unpackFrames(JSON.parse(String(data)) as ServerFrame))
          if (frame.type === "ack" || frame.type === "error") resolve(frame);
      }),
    );
    socket.send(
      JSON.stringify({ type: "send", clientId: "file-caption", payload: "Y2FwdGlvbg==", attachments: [fileId] }),
    );
    expect((await answer).type, JSON.stringify(await answer)).toBe("ack");
    socket.close();
    const read = await call(server, `/api/channels/${generalId}/read`, {
      method: "PUT",
      token: bob.token,
      body: { seq: 1 },
    });
    expect(read.status, read.text).toBe(200);
    // Two-factor last: storing a key backup would then ask bob for a code too.
    const setup = await call(server, "/api/two-factor/setup", { method: "POST", token: bob.token });
    totpSecret = setup.body.secret;
    const enabled = await call(server, "/api/two-factor/enable", {
      token: bob.token,
      body: { totpCode: oathtool(totpSecret), password: PASSWORD },
    });
    expect(enabled.status, enabled.text).toBe(200);
  }, 60_000);

  it("backs up while carol keeps sending, into one archive with a manifest", async () => {
    const sender = await keepSending(source.server!);
    while (acknowledged.length < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    acknowledgedBeforeBackup = acknowledged.length;
    archive = await backUp(source, out);
    const acknowledgedAfterBackup = acknowledged.length;
    await sender.stop();
    expect(acknowledgedAfterBackup).toBeGreaterThan(acknowledgedBeforeBackup); // she did send during it

    expect(readdirSync(out)).toEqual([archive.split("/").at(-1)]); // nothing partial beside it
    const listing = (await run("tar", ["-tf", archive])).stdout.trim().split("\n");
    expect(listing).toEqual(["manifest.json", "database.dump", "uploads.tar", "rooms.tar", "SECRETS.txt"]);
    const manifest = JSON.parse((await run("tar", ["-xOf", archive, "manifest.json"])).stdout);
    expect(manifest).toMatchObject({
      chatalot: JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version,
      schemaMigration: { tag: journal.entries.at(-1).tag, createdAt: journal.entries.at(-1).when },
      mode: "native",
    });
    expect(manifest.members.map((member: { name: string }) => member.name)).toEqual(listing.slice(1));
  }, 60_000);

  it("restores into a fresh instance that serves every account, role, message, file and read position", async () => {
    copy = await newInstance("backup_copy");
    const restored = await restore(archive, copy);
    expect(restored.stdout.trim()).toBe(`restored ${archive}`);
    const server = await start(copy);

    const withoutCode = await call(server, "/api/auth/login", { body: { username: "bob", password: PASSWORD } });
    expect(withoutCode.body.error.code).toBe("two_factor_required");
    // The next step's code: the one that turned two-factor on is spent, in the copy too.
    const bobAgain = await signInOn(server, "bob", PASSWORD, {
      totpCode: oathtool(totpSecret, new Date(Date.now() + 30_000)),
    });
    const carolAgain = await signInOn(server, "carol", PASSWORD);
    const aliceAgain = await signInOn(server, "admin", PASSWORD);
    expect(aliceAgain.isAdmin).toBe(true);

    const permissions = async (account: Account) =>
      (await call(server, `/api/communities/${communityId}`, { token: account.token })).body.myPermissions;
    expect(await permissions(carolAgain)).toContain("MANAGE_MESSAGES");
    expect(await permissions(bobAgain)).not.toContain("MANAGE_MESSAGES");

    // Every message acknowledged before the backup began, and what came after is a gap-free run.
    const stored: MessageView[] = [];
    for (let after = 0; ;) {
      const page = await call(server, `/api/channels/${generalId}/messages?after=${after}&limit=100`, {
        token: carolAgain.token,
      });
      stored.push(...page.body.messages);
      if (page.body.messages.length < 100) break;
      after = stored.at(-1)!.seq;
    }
    const carolsIds = stored.filter((message) => message.senderId === carol.id).map((message) => message.clientId);
    expect(carolsIds.length).toBeGreaterThanOrEqual(acknowledgedBeforeBackup);
    expect(carolsIds).toEqual(acknowledged.slice(0, carolsIds.length).map((message) => message.clientId));

    const file = await fetch(`${server.url}/api/files/${fileId}`, {
      headers: { Authorization: `Bearer ${bobAgain.token}` },
    });
    expect(Buffer.from(await file.arrayBuffer())).toEqual(FILE);
    const unread = await call(server, "/api/unread", { token: bobAgain.token });
    expect(unread.body.channels.find((row: { channelId: string }) => row.channelId === generalId).lastReadSeq).toBe(1);
    expect(readdirSync(copy.rooms).sort()).toEqual(readdirSync(source.rooms).sort());

    // A new device of bob's, from his key backup alone, reads the encrypted DM.
    const laptop = await SimulatedDevice.restore(server, bobAgain, await chatalotCiphersuite(), { recoveryKey });
    const page = await laptop.api<{ messages: MessageView[] }>("GET", `/api/channels/${dm.id}/messages?limit=50`);
    const texts = [];
    for (const message of page.messages) {
      const opened = await laptop.open(message);
      if (!opened.ok) throw new Error(opened.reason);
      if (opened.content.kind === "text") texts.push(opened.content.text);
    }
    expect(texts).toEqual(SAID);
  }, 90_000);
});
