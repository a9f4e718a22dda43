/**
 * An end-to-end encrypted DM between two simulated devices against the production
 * server and a real PostgreSQL: alice (the instance admin) and bob set up their keys,
 * alice starts the DM's MLS group and adds bob through the key directory and the
 * delivery service, and they talk through the channel socket. Then the curious
 * server: every table and every room's storage is searched for what they said.
 * Then what a hostile server might try: tampering, replaying, swapping the sender,
 * and swapping an account key, each refused or reported.
 */
import { readdirSync, readFileSync, statSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  base64ToBytes,
  bytesToBase64,
  type ChannelView,
  type MessageView,
  type MlsPendingView,
} from "../../protocol/index.ts";
import {
  chatalotCiphersuite,
  deviceCertificateMessage,
  deviceCredential,
  epochCode,
  safetyNumber,
  newRecoveryKey,
  parseRecoveryKey,
  recoveryKeyText,
} from "../../e2ee/index.ts";
import { registerOn, signInOn, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { SimulatedDevice } from "../support/e2ee-device.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const SAID = ["the plan is at noon", "bring the blue folder", "see you there"];

let database: TestDatabase;
let server: RunningServer;
let roomStorage: string;
let alice: Account, bob: Account;
let aliceDevice: SimulatedDevice, bobDevice: SimulatedDevice;
let dm: ChannelView;
let cipherSuite: Awaited<ReturnType<typeof chatalotCiphersuite>>;
const received: MessageView[] = [];

beforeAll(async () => {
  database = await createTestDatabase("e2ee_dm");
  roomStorage = mkdtempSync(join(tmpdir(), "chatalot-e2ee-rooms-"));
  server = await startServer({ databaseUrl: database.url, env: { ROOM_STORAGE_DIR: roomStorage } });
  alice = await registerOn(server, "admin", "a long enough password");
  bob = await registerOn(server, "bob", "a long enough password");
  cipherSuite = await chatalotCiphersuite();
  [aliceDevice, bobDevice] = await Promise.all([
    SimulatedDevice.setUp(server, alice, cipherSuite),
    SimulatedDevice.setUp(server, bob, cipherSuite),
  ]);
  dm = (await aliceDevice.api<{ channel: ChannelView }>("POST", "/api/dms", { userIds: [bob.id] })).channel;
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.stop();
});

describe("an end-to-end encrypted DM", () => {
  it("lets alice add bob to the DM's group and both read what the other says", async () => {
    await aliceDevice.startGroup(dm.id);
    expect(await aliceDevice.commitPending(dm.id)).toBe(true); // bob's device is the pending add
    expect(await bobDevice.acceptWelcomes()).toEqual([dm.id]);
    const [aliceGroup, bobGroup] = [aliceDevice.groups.get(dm.id)!, bobDevice.groups.get(dm.id)!];
    expect(bobGroup.state.groupContext.epoch).toBe(1n);
    expect(Buffer.from(bobGroup.state.keySchedule.epochAuthenticator)).toEqual(
      Buffer.from(aliceGroup.state.keySchedule.epochAuthenticator),
    );
    const group = await aliceDevice.api<{ group: { epoch: number; memberDeviceIds: string[] } }>(
      "GET",
      `/api/channels/${dm.id}/mls`,
    );
    expect(group.group).toMatchObject({ epoch: 1, memberDeviceIds: [alice.sessionId, bob.sessionId] });

    const aliceSocket = await aliceDevice.connect(dm.id);
    const bobSocket = await bobDevice.connect(dm.id);
    for (const [index, words] of SAID.entries()) {
      const [speaker, listener, listenerSocket] =
        index % 2 === 0 ? [aliceDevice, bobDevice, bobSocket] : [bobDevice, aliceDevice, aliceSocket];
      const speakerSocket = speaker === aliceDevice ? aliceSocket : bobSocket;
      const clientId = `e2ee${index}${crypto.randomUUID().slice(0, 8)}`;
      speakerSocket.socket.send(JSON.stringify({ type: "send", clientId, payload: await speaker.seal(dm.id, words) }));
      await speakerSocket.next("ack", (frame) => frame.clientId === clientId);
      const relayed = (await listenerSocket.next("message")).message;
      expect(await listener.read(relayed)).toBe(words);
      received.push(relayed);
    }
    aliceSocket.close();
    bobSocket.close();
  });

  it("leaves nothing readable on the server: no table and no room storage holds what was said", async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const tables = await client.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'public'",
    );
    const dumps: string[] = [];
    for (const { name } of tables.rows) {
      const rows = await client.query(`select * from "${name}"`);
      // Bytes columns as hex and as text, so plaintext would show either way.
      dumps.push(
        JSON.stringify(rows.rows, (_, value) =>
          value?.type === "Buffer"
            ? `${Buffer.from(value.data).toString("hex")} ${Buffer.from(value.data).toString("latin1")}`
            : value,
        ),
      );
    }
    await client.end();
    const files = (function walk(folder: string): string[] {
      return readdirSync(folder).flatMap((name) => {
        const path = join(folder, name);
        return statSync(path).isDirectory() ? walk(path) : [path];
      });
    })(roomStorage);
    const everything = [...dumps, ...files.map((file) => readFileSync(file).toString("latin1"))].join("\n");
    expect(tables.rows.length).toBeGreaterThan(20);
    expect(everything).toContain(dm.id); // the search does see the data
    for (const words of SAID) {
      expect(everything).not.toContain(words);
      expect(everything).not.toContain(Buffer.from(words).toString("hex"));
      expect(everything).not.toContain(Buffer.from(words).toString("base64").slice(0, 16));
    }
  });

  it("refuses a tampered message, a replayed one and one whose sender the server swapped", async () => {
    const original = received[0]!; // from alice, already read once by bob
    // Read again where it was stored (a reload): fine. Served again as a later message: a replay.
    expect(await bobDevice.read(original)).toBe(SAID[0]);
    await expect(bobDevice.read({ ...original, seq: original.seq + 100 })).rejects.toThrow(/replayed/);
    const fresh = await aliceDevice.seal(dm.id, "one more thing");
    const view = { ...original, payload: fresh };
    const tampered = base64ToBytes(fresh);
    tampered[tampered.length - 1]! ^= 1;
    await expect(bobDevice.read({ ...view, payload: bytesToBase64(tampered) })).rejects.toThrow();
    // The server claims bob's own device sent alice's message: the signature is not his.
    await expect(
      bobDevice.read({
        ...view,
        payload: await aliceDevice.seal(dm.id, "swapped"),
        senderId: bob.id,
        senderDeviceId: bob.sessionId,
      }),
    ).rejects.toThrow(/signature/);
    expect(await bobDevice.read(view)).toBe("one more thing");
  });

  it("restores a new device from the recovery key or the passphrase: it reads the whole history, then joins", async () => {
    const recoveryKey = newRecoveryKey();
    expect(parseRecoveryKey(recoveryKeyText(recoveryKey))).toEqual(recoveryKey);
    expect(await bobDevice.backUp(recoveryKey, "correct horse battery staple")).toBe(1);
    const history = async (device: SimulatedDevice) => {
      const page = await device.api<{ messages: MessageView[] }>("GET", `/api/channels/${dm.id}/messages?limit=50`);
      // Text only: the history keys alice shared when she added bob's devices are messages too.
      const opened = await Promise.all(page.messages.map((message) => device.open(message)));
      return opened.flatMap((result) => {
        if (!result.ok) throw new Error(result.reason);
        return result.content.kind === "text" ? [result.content.text] : [];
      });
    };
    // A new laptop with nothing but the recovery key reads everything bob could.
    const laptopAccount = await signInOn(server, "bob", "a long enough password");
    const laptop = await SimulatedDevice.restore(server, laptopAccount, cipherSuite, { recoveryKey });
    expect(await history(laptop)).toEqual(SAID);
    // A phone with the passphrase too; a wrong passphrase opens nothing.
    const phoneAccount = await signInOn(server, "bob", "a long enough password");
    await expect(
      SimulatedDevice.restore(server, phoneAccount, cipherSuite, { passphrase: "wrong horse battery staple" }),
    ).rejects.toThrow();
    const phone = await SimulatedDevice.restore(server, phoneAccount, cipherSuite, {
      passphrase: "correct horse battery staple",
    });
    expect(await history(phone)).toEqual(SAID);

    // The laptop joins the DM's group by external commit; alice accepts it (cross-signed by bob's key).
    await laptop.joinExternally(dm.id);
    await aliceDevice.catchUp(dm.id);
    const aliceSocket = await aliceDevice.connect(dm.id);
    const clientId = `laptop${crypto.randomUUID().slice(0, 8)}`;
    aliceSocket.socket.send(
      JSON.stringify({ type: "send", clientId, payload: await aliceDevice.seal(dm.id, "hello, bob's laptop") }),
    );
    const { message } = await aliceSocket.next("ack", (frame) => frame.clientId === clientId);
    expect(await laptop.read(message)).toBe("hello, bob's laptop");

    // Bob signs the laptop out: it is a pending removal, alice commits it, the laptop reads nothing new.
    await bobDevice.api("DELETE", `/api/sessions/${laptopAccount.sessionId}`);
    const pending = await aliceDevice.api<MlsPendingView>("GET", `/api/channels/${dm.id}/mls/pending`);
    expect(pending.remove).toEqual([laptopAccount.sessionId]);
    expect(await aliceDevice.commitPending(dm.id)).toBe(true);
    const after = `after${crypto.randomUUID().slice(0, 8)}`;
    aliceSocket.socket.send(
      JSON.stringify({ type: "send", clientId: after, payload: await aliceDevice.seal(dm.id, "not for the laptop") }),
    );
    const secret = (await aliceSocket.next("ack", (frame) => frame.clientId === after)).message;
    await expect(laptop.read(secret)).rejects.toThrow();
    await bobDevice.catchUp(dm.id);
    expect(await bobDevice.read(secret)).toBe("not for the laptop");
    aliceSocket.close();
  }, 60_000);

  it("gives alice and bob the same safety number, unchanged by bob's new devices, and the same epoch code", async () => {
    const party = async (viewer: SimulatedDevice, person: Account) => ({
      userId: person.id,
      accountKey: (await viewer.directory(person.id))!.accountKey!,
    });
    const [aliceSees, bobSees] = await Promise.all([
      safetyNumber(await party(aliceDevice, alice), await party(aliceDevice, bob)),
      safetyNumber(await party(bobDevice, bob), await party(bobDevice, alice)),
    ]);
    expect(aliceSees).toMatch(/^(\d{5} ){11}\d{5}$/);
    expect(bobSees).toBe(aliceSees);
    // bob signed in on a laptop and a phone meanwhile: the number is over account keys, not devices.
    expect((await aliceDevice.directory(bob.id))!.devices.length).toBeGreaterThan(1);
    await bobDevice.catchUp(dm.id);
    await aliceDevice.catchUp(dm.id);
    const codes = [aliceDevice, bobDevice].map((device) =>
      epochCode(device.groups.get(dm.id)!.state.keySchedule.epochAuthenticator),
    );
    expect(codes[1]).toBe(codes[0]);
  });

  it("moves to a new epoch after 1,000 messages, before the next message is sealed", async () => {
    expect(await bobDevice.rotateIfDue(dm.id)).toBe(false);
    const epoch = bobDevice.groups.get(dm.id)!.state.groupContext.epoch;
    // 1,000 stored messages, written straight in PostgreSQL (sending them would take minutes).
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ last_seq: string }>("select last_seq from channels where id = $1", [dm.id]);
    const from = Number(rows[0]!.last_seq);
    await client.query(
      `insert into messages (channel_id, seq, event, sender_id, client_id, payload, payload_bytes)
       select $1::uuid, $2::bigint + n, $2::bigint + n, $3::uuid, 'filler-' || n, convert_to('x', 'UTF8'), 1
       from generate_series(1, 1000) n`,
      [dm.id, from, bob.id],
    );
    await client.query("update channels set last_seq = $2::bigint, last_event = $2::bigint where id = $1", [
      dm.id,
      from + 1000,
    ]);
    await client.end();
    expect(await bobDevice.rotateIfDue(dm.id)).toBe(true);
    expect(bobDevice.groups.get(dm.id)!.state.groupContext.epoch).toBe(epoch + 1n);
    expect(await bobDevice.rotateIfDue(dm.id)).toBe(false);
    await aliceDevice.catchUp(dm.id);
    const message = { ...received[1]!, payload: await bobDevice.seal(dm.id, "in the new epoch") };
    expect(await aliceDevice.read(message)).toBe("in the new epoch");
  });

  it("reports an account key the server swapped; once accepted after comparing, the mark is verified and backed up", async () => {
    expect(bobDevice.trust.statusOf(alice.id)).toBe("trusted");
    const forged = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const raw = new Uint8Array((await crypto.subtle.exportKey("raw", forged.publicKey)) as ArrayBuffer);
    const oldKey = (await bobDevice.directory(alice.id))!.accountKey!;
    // (The server's swap, made here through the API: replacing a key takes the password.)
    await aliceDevice.api("PUT", "/api/keys/account", { publicKey: bytesToBase64(raw), password: alice.password });
    const sealed = async (text: string) => ({
      ...received[0]!,
      seq: received[0]!.seq + 200,
      payload: await aliceDevice.seal(dm.id, text),
    });
    // Alice's device is still certified by the key bob trusts: it is read, and the change is reported.
    expect(await bobDevice.read(await sealed("from the device bob knows"))).toBe("from the device bob knows");
    expect(bobDevice.trust.warnings.map((warning) => warning.userId)).toEqual([alice.id]);
    expect(bobDevice.trust.statusOf(alice.id)).toBe("changed");
    // The warning is kept with the device's state: a reload still shows it.
    const reloaded = SimulatedDevice.fromSnapshot(bobDevice.transport, cipherSuite, bobDevice.snapshot());
    expect(reloaded.trust.statusOf(alice.id)).toBe("changed");

    // The server lists her device as certified by the new key: refused until bob accepts that key.
    const certificate = deviceCertificateMessage(
      alice.id,
      alice.sessionId,
      aliceDevice.identity.signatureKeyPair.publicKey,
    );
    const crossSignature = new Uint8Array(
      await crypto.subtle.sign({ name: "Ed25519" }, forged.privateKey, new Uint8Array(certificate)),
    );
    await aliceDevice.api("PUT", "/api/keys/devices/current", {
      signaturePublicKey: bytesToBase64(aliceDevice.identity.signatureKeyPair.publicKey),
      crossSignature: bytesToBase64(crossSignature),
    });
    const message = await sealed("after the swap");
    await expect(bobDevice.read(message)).rejects.toThrow(/account key changed/);

    // Accepting a key the directory no longer lists is refused: the safety number shown was stale.
    await expect(bobDevice.decideTrust(alice.id, oldKey, true)).rejects.toThrow(/changed again/);
    await bobDevice.decideTrust(alice.id, raw, true);
    expect(bobDevice.trust.statusOf(alice.id)).toBe("verified");
    expect(await bobDevice.read(message)).toBe("after the swap");

    // The verified mark travels in the backup to bob's next device.
    const recoveryKey = newRecoveryKey();
    await bobDevice.backUp(recoveryKey);
    const tablet = await SimulatedDevice.restore(
      server,
      await signInOn(server, "bob", "a long enough password"),
      cipherSuite,
      { recoveryKey },
    );
    expect(tablet.trust.statusOf(alice.id)).toBe("verified");
    expect(
      SimulatedDevice.fromSnapshot(tablet.transport, cipherSuite, tablet.snapshot()).trust.statusOf(alice.id),
    ).toBe("verified");
  });

  it("carries a call record alice's client seals: bob opens it as a call, and the numbering of texts has no hole", async () => {
    const bobSocket = await bobDevice.connect(dm.id);
    const record = {
      kind: "call",
      callId: "call-abcdef123",
      outcome: "answered",
      durationMs: 61_000,
      video: true,
    } as const;
    await aliceDevice.send(dm.id, record);
    const opened = await bobDevice.open((await bobSocket.next("message")).message);
    expect(opened).toMatchObject({ ok: true, content: record, context: { sealed: null, warnings: [] } });
    await aliceDevice.send(dm.id, { kind: "text", text: "after the call" });
    const after = await bobDevice.open((await bobSocket.next("message")).message);
    expect(after).toMatchObject({ ok: true, content: { text: "after the call" }, context: { warnings: [] } });
    bobSocket.close();
  });
});
