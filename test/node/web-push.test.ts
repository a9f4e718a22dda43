/**
 * Web Push end to end against the production server, with a fake push service on
 * loopback standing in for the browsers' (the outer edge, and the only fake): bob's
 * browsers subscribe like real ones; when alice writes to him while no tab of his is
 * open, the push that arrives is VAPID-signed with the served key, decrypts (RFC 8291)
 * to ids only, never words or names, and is marked to collapse per channel. A push
 * service's 410 removes the subscription; 5xx and 429 are retried; signing out and a
 * device unused for 30 days stop pushes; endpoints that would make the server a request
 * forger are refused, and the fake's own origin is let through only by the test setting.
 */
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  call,
  createCommunityWith,
  openChannelSocket,
  registerOn,
  signInOn,
  type Account,
} from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startPushService, type FakePushService, type PushDevice } from "../support/push-service.ts";
import { startServer, type RunningServer } from "../support/server.ts";

const PASSWORD = "correct horse battery";
const VAPID_SUBJECT = "mailto:operator@chatalot.test";

let database: TestDatabase;
let server: RunningServer;
let pushService: FakePushService;
let sql: pg.Client;
let vapidPublicKey = "";
let alice: Account;
let bob: Account;
let carol: Account;
let bobLaptop: PushDevice;
let dmChannelId = "";
let sentByAlice = 0;

function vapidKeyPair(): { pem: string; publicKey: string } {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
  return {
    pem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey: point.toString("base64url"),
  };
}
const vapid = vapidKeyPair();

beforeAll(async () => {
  database = await createTestDatabase("web_push");
  pushService = await startPushService();
  server = await startServer({
    databaseUrl: database.url,
    env: {
      ADMIN_USERNAME: "alice",
      VAPID_PRIVATE_KEY: vapid.pem,
      VAPID_SUBJECT,
      PUSH_TEST_SERVICE_ORIGIN: pushService.origin,
    },
  });
  sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  [alice, bob, carol] = (await Promise.all(
    ["alice", "bob", "carol"].map((name) => registerOn(server, name, PASSWORD)),
  )) as [Account, Account, Account];
  // DMs are between people who share a community.
  await createCommunityWith(server, alice, "Zebra Club", [bob, carol]);
  const opened = await call(server, "/api/dms", { token: alice.token, body: { userIds: [bob.id] } });
  if (opened.status >= 300) throw new Error(`alice opens a DM with bob: ${opened.status} ${opened.text}`);
  dmChannelId = opened.body.channel.id;
});

afterAll(async () => {
  await sql?.end();
  await server?.stop();
  await pushService?.stop();
  await database?.stop();
});

/** Alice writes to bob through her own socket; the payload is opaque to the server, as ciphertext is. */
async function aliceWritesToBob(words: string): Promise<number> {
  const { socket } = await openChannelSocket(server, alice, dmChannelId);
  const clientId = `alice-message-${++sentByAlice}`;
  const acked = new Promise<number>((resolve, reject) =>
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data));
      for (const each of frame.type === "frames" ? frame.frames : [frame]) {
        if (each.type === "ack" && each.clientId === clientId) resolve(each.message.seq);
        if (each.type === "error") reject(new Error(`alice's message was refused: ${each.message}`));
      }
    }),
  );
  socket.send(JSON.stringify({ type: "send", clientId, payload: Buffer.from(words).toString("base64") }));
  const seq = await acked;
  socket.close();
  return seq;
}

async function subscribe(account: Account, device: PushDevice | object) {
  const subscription = "subscription" in device ? device.subscription : device;
  return call(server, "/api/push/subscriptions", { token: account.token, body: subscription });
}

async function storedEndpoints(userId: string): Promise<string[]> {
  const { rows } = await sql.query("select endpoint from push_subscriptions where user_id = $1", [userId]);
  return rows.map((row) => row.endpoint);
}

/** Polls the database until `check` holds (the queue works after the send returns). */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("Web Push delivery", () => {
  it("serves the VAPID public key that belongs to the configured private key", async () => {
    const answer = await call(server, "/api/push/vapid-public-key");

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ publicKey: vapid.publicKey });
    vapidPublicKey = answer.body.publicKey;
    pushService.expectVapidKey(vapidPublicKey);
  });

  it("brings alice's DM to bob's closed browser: VAPID-signed, encrypted, ids only, one topic per channel", async () => {
    bobLaptop = pushService.device("bob-laptop");
    expect((await subscribe(bob, bobLaptop)).status).toBe(204);

    const seq = await aliceWritesToBob("the zebra plan: meet at the north gate at noon");
    const [push] = await pushService.waitFor(bobLaptop.id, 1);

    expect(push!.payload).toEqual({ channelId: dmChannelId, communityId: null, seq, reason: "dm" });
    for (const secret of ["zebra", "noon", "alice", "bob", alice.id, bob.id]) expect(push!.text).not.toContain(secret);
    expect(push!.contentEncoding).toBe("aes128gcm");
    expect(push!.urgency).toBe("high");
    expect(push!.topic).toBe(dmChannelId.replaceAll("-", ""));
    expect(Number(push!.ttl)).toBeGreaterThan(0);
    expect(Number(push!.ttl)).toBeLessThanOrEqual(3600);
    expect(push!.claims).toMatchObject({ aud: pushService.origin, sub: VAPID_SUBJECT });
    expect(pushService.rejected).toEqual([]);
  });

  it("retries a push service that answers 500 and then 429, until it takes the push", async () => {
    const before = pushService.received(bobLaptop.id).length;
    pushService.answer(bobLaptop.id, [500, { status: 429, headers: { "Retry-After": "1" } }]);

    const seq = await aliceWritesToBob("are you there?");
    const pushes = await pushService.waitFor(bobLaptop.id, before + 1, 20_000);

    expect(pushes.at(-1)!.payload).toMatchObject({ channelId: dmChannelId, seq });
    expect(pushService.attempts(bobLaptop.id)).toBeGreaterThanOrEqual(before + 3);
  });

  it("deletes the subscription of a device whose push service answers 410 Gone", async () => {
    const bobPhone = await signInOn(server, "bob", PASSWORD);
    const phone = pushService.device("bob-phone");
    pushService.answer(phone.id, [410], { always: true });
    expect((await subscribe(bobPhone, phone)).status).toBe(204);
    expect(await storedEndpoints(bob.id)).toContain(phone.subscription.endpoint);

    await aliceWritesToBob("one for the phone too");

    await eventually(
      async () => !(await storedEndpoints(bob.id)).includes(phone.subscription.endpoint),
      "the phone's subscription is gone",
    );
    expect(pushService.attempts(phone.id)).toBe(1);
    expect(await storedEndpoints(bob.id)).toContain(bobLaptop.subscription.endpoint);
  });

  it("stops a device's pushes the moment bob signs out of it", async () => {
    const bobTablet = await signInOn(server, "bob", PASSWORD);
    const tablet = pushService.device("bob-tablet");
    expect((await subscribe(bobTablet, tablet)).status).toBe(204);

    expect((await call(server, "/api/auth/logout", { method: "POST", token: bobTablet.token })).status).toBe(204);

    expect(await storedEndpoints(bob.id)).not.toContain(tablet.subscription.endpoint);
    // The next decision reads bob's subscriptions afresh: the laptop hears of it, the tablet not.
    const before = pushService.received(bobLaptop.id).length;
    await aliceWritesToBob("are you still on the tablet?");
    await pushService.waitFor(bobLaptop.id, before + 1);
    expect(pushService.attempts(tablet.id)).toBe(0);
  });

  it("sends nothing to a device bob has not used for 30 days, and still to the one he uses", async () => {
    const bobOldPhone = await signInOn(server, "bob", PASSWORD);
    const oldPhone = pushService.device("bob-old-phone");
    expect((await subscribe(bobOldPhone, oldPhone)).status).toBe(204);
    await sql.query("update sessions set last_seen_at = now() - interval '31 days' where id = $1", [
      bobOldPhone.sessionId,
    ]);
    const before = pushService.received(bobLaptop.id).length;

    await aliceWritesToBob("still there?");
    await pushService.waitFor(bobLaptop.id, before + 1);

    // Both devices come from the same read of bob's subscriptions: the laptop's push means the old phone was passed over.
    expect(pushService.attempts(oldPhone.id)).toBe(0);
  });

  it("replaces a browser's earlier subscription when it subscribes again (a new key, say)", async () => {
    const bobDesktop = await signInOn(server, "bob", PASSWORD);
    const first = pushService.device("bob-desktop-1");
    const second = pushService.device("bob-desktop-2");

    expect((await subscribe(bobDesktop, first)).status).toBe(204);
    expect((await subscribe(bobDesktop, second)).status).toBe(204);

    const endpoints = await storedEndpoints(bob.id);
    expect(endpoints).toContain(second.subscription.endpoint);
    expect(endpoints).not.toContain(first.subscription.endpoint);
  });

  it("keeps at most ten subscriptions for carol: an eleventh browser replaces her oldest", async () => {
    const sessions = [carol];
    for (let index = 0; index < 10; index++) sessions.push(await signInOn(server, "carol", PASSWORD));
    const devices: PushDevice[] = [];
    for (const session of sessions) {
      const device = pushService.device("carol");
      devices.push(device);
      expect((await subscribe(session, device)).status).toBe(204);
    }

    const endpoints = await storedEndpoints(carol.id);
    expect(endpoints).toHaveLength(10);
    expect(endpoints).not.toContain(devices[0]!.subscription.endpoint);
    expect(endpoints).toContain(devices[10]!.subscription.endpoint);
  });

  it("unsubscribes a browser, and says so when there was nothing to remove", async () => {
    const endpoint = "https://fcm.googleapis.com/fcm/send/carols-spare-browser";
    const keys = pushService.device("template").subscription.keys;
    const bobSpare = await signInOn(server, "bob", PASSWORD);
    expect((await subscribe(bobSpare, { endpoint, keys })).status).toBe(204);

    expect(
      (await call(server, "/api/push/subscriptions", { method: "DELETE", token: carol.token, body: { endpoint } }))
        .status,
    ).toBe(404);
    expect(
      (await call(server, "/api/push/subscriptions", { method: "DELETE", token: bobSpare.token, body: { endpoint } }))
        .status,
    ).toBe(204);
    expect(await storedEndpoints(bob.id)).not.toContain(endpoint);
  });
});

describe("subscriptions that would make the server a request forger", () => {
  const keys = () => pushService.device("template").subscription.keys;
  const otherLoopback = () => pushService.origin.replace(/:\d+$/, ":9");

  it.each([
    ["plain http", "http://push.example.com/send/1"],
    ["a private IPv4 address", "https://10.0.0.8/send/1"],
    ["loopback", "https://127.0.0.1/send/1"],
    ["loopback written as a number", "https://2130706433/send/1"],
    ["IPv6 loopback", "https://[::1]/send/1"],
    ["a unique-local IPv6 address", "https://[fd12:3456::1]/send/1"],
    ["the cloud metadata address", "https://169.254.169.254/latest/meta-data"],
    ["a private address mapped into IPv6", "https://[::ffff:192.168.1.1]/send/1"],
    ["localhost", "https://localhost/send/1"],
    ["localhost with a trailing dot", "https://localhost./send/1"],
    ["an mDNS name", "https://printer.local/send/1"],
    ["an internal name", "https://metadata.google.internal/send/1"],
    ["a one-label name (a Docker service)", "https://postgres/send/1"],
    ["another port", "https://push.example.com:8443/send/1"],
    ["credentials in the URL", "https://user:secret@push.example.com/send/1"],
    ["an absurd length", `https://push.example.com/${"a".repeat(1100)}`],
    ["not a URL", "push service, please"],
  ])("refuses %s and stores nothing", async (_, endpoint) => {
    const answer = await subscribe(carol, { endpoint, keys: keys() });

    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/endpoint/);
    expect(await storedEndpoints(carol.id)).not.toContain(endpoint);
  });

  it("refuses another loopback origin than the one the test setting names", async () => {
    const endpoint = `${otherLoopback()}/push/anything`;

    expect((await subscribe(carol, { endpoint, keys: keys() })).status).toBe(400);
  });

  it.each([
    ["a p256dh of the wrong length", { p256dh: Buffer.alloc(33, 4).toString("base64url") }],
    ["a p256dh that is not an uncompressed point", { p256dh: Buffer.alloc(65, 2).toString("base64url") }],
    ["an auth secret of the wrong length", { auth: Buffer.alloc(32, 1).toString("base64url") }],
    ["keys that are not base64url", { auth: "not base64 at all!" }],
  ])("refuses %s", async (_, wrong) => {
    const endpoint = "https://fcm.googleapis.com/fcm/send/wrong-keys";
    const answer = await subscribe(carol, { endpoint, keys: { ...keys(), ...wrong } });

    expect(answer.status).toBe(400);
    expect(await storedEndpoints(carol.id)).not.toContain(endpoint);
  });

  it("refuses subscriptions from someone not signed in", async () => {
    const answer = await call(server, "/api/push/subscriptions", {
      body: { endpoint: "https://fcm.googleapis.com/fcm/send/x", keys: keys() },
    });

    expect(answer.status).toBe(401);
  });
});

describe("without the test setting", () => {
  let plain: RunningServer;
  let plainDatabase: TestDatabase;

  beforeAll(async () => {
    plainDatabase = await createTestDatabase("web_push_plain");
    plain = await startServer({ databaseUrl: plainDatabase.url, env: { VAPID_PRIVATE_KEY: vapid.pem } });
  });
  afterAll(async () => {
    await plain?.stop();
    await plainDatabase?.stop();
  });

  it("refuses the fake push service's own loopback endpoint", async () => {
    const dave = await registerOn(plain, "dave", PASSWORD);
    const device = pushService.device("dave");

    const answer = await call(plain, "/api/push/subscriptions", { token: dave.token, body: device.subscription });

    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("invalid_endpoint");
  });

  it("will not start with the test setting when PUBLIC_URL is https", async () => {
    const refused = await startServer({
      databaseUrl: plainDatabase.url,
      env: { PUBLIC_URL: "https://chat.example.com", PUSH_TEST_SERVICE_ORIGIN: pushService.origin },
      waitForReady: false,
    });
    const code = await refused.exited;

    expect(code).toBe(78);
    expect(refused.output()).toContain("PUSH_TEST_SERVICE_ORIGIN is for tests only");
  });
});
