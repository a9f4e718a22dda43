/**
 * The key directory through the HTTP API: alice sets her account key and
 * cross-signs her devices' keys, keeps a stock of KeyPackages; bob, who shares a
 * community with her, reads her keys and claims one KeyPackage per device;
 * mallory, who shares nothing with her, finds nobody. The server never sees a
 * private key: the tests hold them, as clients do.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  base64ToBytes,
  bytesToBase64,
  KEY_PACKAGE_MAX_BYTES,
  KEY_PACKAGES_PER_DEVICE_MAX,
  type ClaimedKeyPackageView,
  type DeviceView,
  type KeyPackageStockView,
  type UserKeysView,
} from "../../protocol/index.ts";
import { deviceCertificateMessage } from "../../protocol/index.ts";
import { totpAt, withFreshStep } from "./accounts-fixtures.ts";
import {
  as,
  createCommunity,
  errorCode,
  expectStatus,
  json,
  PASSWORD,
  register,
  request,
  unique,
  type Person,
} from "./fixtures.ts";

interface SigningKey {
  publicKey: Uint8Array;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

async function signingKey(): Promise<SigningKey> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const publicKey = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  return {
    publicKey,
    sign: async (message) =>
      new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, new Uint8Array(message))),
  };
}

/** A second device of `person`: another sign-in, another session. */
async function signInAgain(person: Person): Promise<Person> {
  const response = await request(
    "/api/auth/login",
    json("POST", { username: person.user.username, password: PASSWORD }),
  );
  await expectStatus(response, 200);
  const session = (await response.json()) as Person & { accessToken: string };
  return { ...person, ...session, token: session.accessToken };
}

async function registerDevice(person: Person, account: SigningKey): Promise<{ device: DeviceView; key: SigningKey }> {
  const key = await signingKey();
  const crossSignature = await account.sign(deviceCertificateMessage(person.user.id, person.sessionId, key.publicKey));
  const response = await as(person, "PUT", "/api/keys/devices/current", {
    signaturePublicKey: bytesToBase64(key.publicKey),
    crossSignature: bytesToBase64(crossSignature),
  });
  await expectStatus(response, 201);
  return { device: ((await response.json()) as { device: DeviceView }).device, key };
}

/** Distinct fake KeyPackages: the server treats them as opaque bytes. */
const keyPackages = (label: string, count: number) =>
  Array.from({ length: count }, (_, index) =>
    bytesToBase64(new TextEncoder().encode(`${label}-${index}`.padEnd(40, "."))),
  );

const keysOf = async (viewer: Person, person: Person) =>
  (await (
    await expectStatus(await as(viewer, "GET", `/api/keys/users/${person.user.id}`), 200)
  ).json()) as UserKeysView;

const claim = async (claimer: Person, person: Person) =>
  (
    (await (await expectStatus(await as(claimer, "POST", `/api/keys/users/${person.user.id}/claim`), 200)).json()) as {
      keyPackages: ClaimedKeyPackageView[];
    }
  ).keyPackages;

/** A backup as a client sends it: opaque bytes, and the key id (hash of the recovery key) it is sealed under. */
const sealed = (content: string, keyId: string) => ({
  backup: bytesToBase64(new TextEncoder().encode(content)),
  keyId,
});
const OLD_KEY_ID = "old-recovery-key-commitment";
const KEY_ID = "alices-recovery-key-commitment";
const MALLORYS_KEY_ID = "mallorys-recovery-key-commitment";

interface BackupVersionEntry {
  version: number;
  keyId: string | null;
  hasPassphrase: boolean;
  isLatest: boolean;
}

const versionsOf = async (person: Person) =>
  (
    (await (await expectStatus(await as(person, "GET", "/api/keys/backup/versions"), 200)).json()) as {
      versions: BackupVersionEntry[];
    }
  ).versions;

let alice: Person, bob: Person, mallory: Person;
let aliceAccount: SigningKey;

beforeEach(async () => {
  [alice, bob, mallory] = (await Promise.all(["alice", "bob", "mallory"].map((name) => register(unique(name))))) as [
    Person,
    Person,
    Person,
  ];
  await createCommunity(alice, bob);
  aliceAccount = await signingKey();
  await expectStatus(
    await as(alice, "PUT", "/api/keys/account", { publicKey: bytesToBase64(aliceAccount.publicKey) }),
    201,
  );
});

describe("account keys and devices", () => {
  it("lists alice's cross-signed devices to anyone, and lets only those who share a place claim her KeyPackages", async () => {
    const laptop = await registerDevice(alice, aliceAccount);
    const phone = await registerDevice(await signInAgain(alice), aliceAccount);
    const seen = await keysOf(bob, alice);
    expect(seen.accountKey).toMatchObject({ publicKey: bytesToBase64(aliceAccount.publicKey), replacedKeys: 0 });
    expect(seen.devices.map((device) => device.deviceId)).toEqual([laptop.device.deviceId, phone.device.deviceId]);
    expect(seen.devices[0]).toMatchObject({
      userId: alice.user.id,
      deviceId: alice.sessionId,
      signaturePublicKey: bytesToBase64(laptop.key.publicKey),
      isSignedByCurrentKey: true,
    });
    // What bob checks before trusting a device: the account key signed it.
    const accountKey = await crypto.subtle.importKey(
      "raw",
      base64ToBytes(seen.accountKey!.publicKey),
      { name: "Ed25519" },
      false,
      ["verify"],
    );
    const message = deviceCertificateMessage(alice.user.id, alice.sessionId, laptop.key.publicKey);
    expect(
      await crypto.subtle.verify(
        { name: "Ed25519" },
        accountKey,
        base64ToBytes(seen.devices[0]!.crossSignature),
        message,
      ),
    ).toBe(true);
    // Public keys are public: mallory reads them too (and nobody's, for an unknown id), but
    // claims none of alice's KeyPackages, sharing no place with her.
    expect((await keysOf(mallory, alice)).devices).toHaveLength(2);
    expect((await as(mallory, "GET", `/api/keys/users/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await as(mallory, "POST", `/api/keys/users/${alice.user.id}/claim`)).status).toBe(404);
  });

  it("refuses a device key whose cross-signature does not verify, or before an account key exists", async () => {
    const key = await signingKey();
    const forged = await (
      await signingKey()
    ).sign(deviceCertificateMessage(alice.user.id, alice.sessionId, key.publicKey));
    const refused = await as(alice, "PUT", "/api/keys/devices/current", {
      signaturePublicKey: bytesToBase64(key.publicKey),
      crossSignature: bytesToBase64(forged),
    });
    expect(refused.status).toBe(400);
    expect(await errorCode(refused)).toBe("invalid_cross_signature");
    // Signed for another device id: a signature cannot be moved to another session.
    const elsewhere = await aliceAccount.sign(deviceCertificateMessage(alice.user.id, bob.sessionId, key.publicKey));
    const moved = await as(alice, "PUT", "/api/keys/devices/current", {
      signaturePublicKey: bytesToBase64(key.publicKey),
      crossSignature: bytesToBase64(elsewhere),
    });
    expect(await errorCode(moved)).toBe("invalid_cross_signature");
    const early = await as(bob, "PUT", "/api/keys/devices/current", {
      signaturePublicKey: bytesToBase64(key.publicKey),
      crossSignature: bytesToBase64(forged),
    });
    expect(early.status).toBe(409);
    expect(await errorCode(early)).toBe("no_account_key");
    expect((await keysOf(bob, alice)).devices).toEqual([]);
    const malformed = await as(alice, "PUT", "/api/keys/devices/current", {
      signaturePublicKey: "abc",
      crossSignature: "",
    });
    expect(malformed.status).toBe(400);
  });

  it("keeps a device's key for good: the same key again is fine, another is refused", async () => {
    const { key } = await registerDevice(alice, aliceAccount);
    const again = await as(alice, "PUT", "/api/keys/devices/current", {
      signaturePublicKey: bytesToBase64(key.publicKey),
      crossSignature: bytesToBase64(
        await aliceAccount.sign(deviceCertificateMessage(alice.user.id, alice.sessionId, key.publicKey)),
      ),
    });
    expect(again.status).toBe(200);
    const other = await signingKey();
    const swapped = await as(alice, "PUT", "/api/keys/devices/current", {
      signaturePublicKey: bytesToBase64(other.publicKey),
      crossSignature: bytesToBase64(
        await aliceAccount.sign(deviceCertificateMessage(alice.user.id, alice.sessionId, other.publicKey)),
      ),
    });
    expect(swapped.status).toBe(409);
    expect(await errorCode(swapped)).toBe("device_key_differs");
  });

  it("shows a replaced account key as a change; its devices and the backup that held it are left behind", async () => {
    await registerDevice(alice, aliceAccount);
    await expectStatus(
      await as(alice, "POST", "/api/keys/devices/current/key-packages", { keyPackages: keyPackages("old", 1) }),
      200,
    );
    const backup = { ...sealed("sealed under the old key", OLD_KEY_ID), previousVersion: 0 };
    await expectStatus(await as(alice, "PUT", "/api/keys/backup", { ...backup, password: PASSWORD }), 200);
    const newAccount = await signingKey();
    await expectStatus(
      await as(alice, "PUT", "/api/keys/account", {
        publicKey: bytesToBase64(newAccount.publicKey),
        password: PASSWORD,
      }),
      201,
    );
    const seen = await keysOf(bob, alice);
    expect(seen.accountKey).toMatchObject({ publicKey: bytesToBase64(newAccount.publicKey), replacedKeys: 1 });
    expect(seen.devices[0]!.isSignedByCurrentKey).toBe(false);
    // Starting over leaves the old key's devices and backup behind: nothing to claim, nothing to restore
    // as the latest; the old backup stays listed among the earlier versions.
    expect(await claim(bob, alice)).toEqual([]);
    expect((await as(alice, "GET", "/api/keys/backup")).status).toBe(404);
    expect((await versionsOf(alice)).map((entry) => [entry.version, entry.isLatest])).toEqual([[1, false]]);
    // Her old device cannot write the old key back into a new backup.
    const late = await as(alice, "PUT", "/api/keys/backup", { ...backup, password: PASSWORD });
    expect(late.status).toBe(409);
    expect(await errorCode(late)).toBe("device_key_replaced");
    // Setting the same key again changes nothing.
    await expectStatus(
      await as(alice, "PUT", "/api/keys/account", { publicKey: bytesToBase64(newAccount.publicKey) }),
      200,
    );
    const log = (await (await as(alice, "GET", "/api/account/audit")).json()) as { events: { action: string }[] };
    expect(log.events.map((event) => event.action)).toEqual(
      expect.arrayContaining(["account_key.created", "account_key.replaced"]),
    );
  });

  it("tells a stranger the keys but not when devices came and went; people who share a place, the day only", async () => {
    await registerDevice(alice, aliceAccount);
    const toStranger = (await keysOf(mallory, alice)).devices;
    expect(toStranger).toHaveLength(1);
    expect(toStranger[0]).toMatchObject({
      deviceId: alice.sessionId,
      isRevoked: false,
      createdAt: null,
      revokedAt: null,
    });
    expect(toStranger[0]!.signaturePublicKey.length).toBeGreaterThan(0);
    const toBob = (await keysOf(bob, alice)).devices;
    expect(toBob[0]!.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
  });

  it("retires a device with its session: a revoked session's device is marked, and never claimed", async () => {
    await registerDevice(alice, aliceAccount);
    const phone = await signInAgain(alice);
    await registerDevice(phone, aliceAccount);
    await expectStatus(
      await as(phone, "POST", "/api/keys/devices/current/key-packages", { keyPackages: keyPackages("phone", 2) }),
      200,
    );
    await expectStatus(await as(alice, "DELETE", `/api/sessions/${phone.sessionId}`), 204);
    const listed = (await keysOf(bob, alice)).devices;
    expect(listed.map((device) => [device.deviceId, device.isRevoked])).toEqual([
      [alice.sessionId, false],
      [phone.sessionId, true],
    ]);
    expect(await claim(bob, alice)).toEqual([]);
  });
});

describe("KeyPackages", () => {
  it("hands each one-time KeyPackage out once, then the last-resort one, even to claims racing", async () => {
    await registerDevice(alice, aliceAccount);
    const oneTime = keyPackages("alice", 3);
    const [lastResort] = keyPackages("alice-last-resort", 1);
    const stock = await expectStatus(
      await as(alice, "POST", "/api/keys/devices/current/key-packages", { keyPackages: oneTime, lastResort }),
      200,
    );
    expect((await stock.json()) as KeyPackageStockView).toEqual({ available: 3, hasLastResort: true });
    const carol = await register(unique("carol"));
    await createCommunity(alice, carol);
    const claims = (await Promise.all([bob, carol, bob, carol, bob].map((claimer) => claim(claimer, alice)))).flat();
    expect(claims).toHaveLength(5);
    expect(claims.every((entry) => entry.deviceId === alice.sessionId)).toBe(true);
    const handedOut = claims.filter((entry) => !entry.isLastResort).map((entry) => entry.keyPackage);
    expect(handedOut.sort()).toEqual([...oneTime].sort());
    expect(claims.filter((entry) => entry.isLastResort).map((entry) => entry.keyPackage)).toEqual([
      lastResort,
      lastResort,
    ]);
    const left = await expectStatus(await as(alice, "GET", "/api/keys/devices/current/key-packages"), 200);
    expect((await left.json()) as KeyPackageStockView).toEqual({ available: 0, hasLastResort: true });
  });

  it("gives one KeyPackage per device, and never the claimer's own device's", async () => {
    await registerDevice(alice, aliceAccount);
    const phone = await signInAgain(alice);
    await registerDevice(phone, aliceAccount);
    for (const device of [alice, phone]) {
      await expectStatus(
        await as(device, "POST", "/api/keys/devices/current/key-packages", {
          keyPackages: keyPackages(device.sessionId, 2),
        }),
        200,
      );
    }
    const forBob = await claim(bob, alice);
    expect(forBob.map((entry) => entry.deviceId).sort()).toEqual([alice.sessionId, phone.sessionId].sort());
    // alice's laptop adds her phone to a group: only the phone's package comes back.
    const forLaptop = await claim(alice, alice);
    expect(forLaptop.map((entry) => entry.deviceId)).toEqual([phone.sessionId]);
  });

  it("refuses uploads before the device is registered, past the stock limit, or too large", async () => {
    const early = await as(alice, "POST", "/api/keys/devices/current/key-packages", {
      keyPackages: keyPackages("a", 1),
    });
    expect(early.status).toBe(409);
    expect(await errorCode(early)).toBe("device_not_registered");
    await registerDevice(alice, aliceAccount);
    for (let uploaded = 0; uploaded < KEY_PACKAGES_PER_DEVICE_MAX; uploaded += 100) {
      await expectStatus(
        await as(alice, "POST", "/api/keys/devices/current/key-packages", {
          keyPackages: keyPackages(`batch${uploaded}`, 100),
        }),
        200,
      );
    }
    const over = await as(alice, "POST", "/api/keys/devices/current/key-packages", {
      keyPackages: keyPackages("over", 1),
    });
    expect(over.status).toBe(409);
    expect(await errorCode(over)).toBe("too_many_key_packages");
    const huge = bytesToBase64(new Uint8Array(KEY_PACKAGE_MAX_BYTES + 1));
    const tooLarge = await as(alice, "POST", "/api/keys/devices/current/key-packages", { keyPackages: [huge] });
    expect(tooLarge.status).toBe(400);
    const nothing = await as(alice, "POST", "/api/keys/devices/current/key-packages", { keyPackages: [] });
    expect(nothing.status).toBe(400);
    // Nothing refused was stored.
    const stock = await expectStatus(await as(alice, "GET", "/api/keys/devices/current/key-packages"), 200);
    expect((await stock.json()) as KeyPackageStockView).toEqual({
      available: KEY_PACKAGES_PER_DEVICE_MAX,
      hasLastResort: false,
    });
  });

  it("limits how often one person claims another's KeyPackages, while others still get theirs", async () => {
    await registerDevice(alice, aliceAccount);
    const [lastResort] = keyPackages("alice-last-resort", 1);
    await expectStatus(
      await as(alice, "POST", "/api/keys/devices/current/key-packages", {
        keyPackages: keyPackages("alice", 2),
        lastResort,
      }),
      200,
    );
    // Bob drains the two one-time packages, then keeps getting the last-resort one: adding alice still works.
    const bobs = [];
    for (let claimNumber = 0; claimNumber < 30; claimNumber++) bobs.push(...(await claim(bob, alice)));
    expect(bobs.filter((entry) => !entry.isLastResort)).toHaveLength(2);
    expect(bobs.slice(2).every((entry) => entry.isLastResort && entry.keyPackage === lastResort)).toBe(true);
    const refused = await as(bob, "POST", `/api/keys/users/${alice.user.id}/claim`);
    expect(refused.status).toBe(429);
    expect(await errorCode(refused)).toBe("rate_limited");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    const carol = await register(unique("carol"));
    await createCommunity(alice, carol);
    expect(await claim(carol, alice)).toEqual([
      { deviceId: alice.sessionId, keyPackage: lastResort, isLastResort: true },
    ]);
  });

  it("refuses a claim between people who blocked each other", async () => {
    await registerDevice(alice, aliceAccount);
    await expectStatus(await as(alice, "PUT", `/api/blocks/${bob.user.id}`), 204);
    const refused = await as(bob, "POST", `/api/keys/users/${alice.user.id}/claim`);
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("blocked");
  });
});

describe("the encrypted key backup", () => {
  it("is stored as given, one version on top of the other; a device that read an older one must merge", async () => {
    expect((await as(alice, "GET", "/api/keys/backup")).status).toBe(404);
    const first = { ...sealed("sealed backup one", KEY_ID), previousVersion: 0 };
    expect(
      await (
        await expectStatus(await as(alice, "PUT", "/api/keys/backup", { ...first, password: PASSWORD }), 200)
      ).json(),
    ).toEqual({ version: 1 });
    // Two devices both wrote on top of version 1: the second is told to merge version 2 first.
    const second = { ...sealed("sealed backup two", KEY_ID), previousVersion: 1 };
    await expectStatus(await as(alice, "PUT", "/api/keys/backup", second), 200);
    const stale = await as(alice, "PUT", "/api/keys/backup", {
      ...second,
      passphraseWrap: bytesToBase64(new Uint8Array(40)),
    });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: "backup_changed" }, version: 2 });
    const stored = (await (await expectStatus(await as(alice, "GET", "/api/keys/backup"), 200)).json()) as {
      version: number;
      backup: string;
      passphraseWrap: string | null;
    };
    expect(stored).toMatchObject({ version: 2, keyId: KEY_ID, backup: second.backup, passphraseWrap: null });
    // Nobody else reads it: each account has its own.
    expect((await as(bob, "GET", "/api/keys/backup")).status).toBe(404);
    expect((await versionsOf(bob)).length).toBe(0);
    expect(
      (await as(alice, "PUT", "/api/keys/backup", { previousVersion: 2, keyId: KEY_ID, backup: "not base64!" })).status,
    ).toBe(400);
  });
});

describe("key changes against a stolen access token", () => {
  it("refuses to replace the account key with the token alone; the password does it", async () => {
    const mallorysKey = await signingKey();
    const replace = (proof: object) =>
      as(alice, "PUT", "/api/keys/account", { publicKey: bytesToBase64(mallorysKey.publicKey), ...proof });
    const tokenOnly = await replace({});
    expect(tokenOnly.status).toBe(403);
    expect(await errorCode(tokenOnly)).toBe("password_required");
    const guessed = await replace({ password: "a guessed password!" });
    expect(guessed.status).toBe(403);
    expect(await errorCode(guessed)).toBe("wrong_password");
    expect((await keysOf(bob, alice)).accountKey).toMatchObject({ publicKey: bytesToBase64(aliceAccount.publicKey) });
    // The same key again, or the first key of an account, needs nothing more than the session.
    await expectStatus(
      await as(alice, "PUT", "/api/keys/account", { publicKey: bytesToBase64(aliceAccount.publicKey) }),
      200,
    );
    await expectStatus(await replace({ password: PASSWORD }), 201);
    expect((await keysOf(bob, alice)).accountKey).toMatchObject({ replacedKeys: 1 });
  });

  it("asks for the two-factor code too when alice has it on", async () => {
    const setup = await as(alice, "POST", "/api/two-factor/setup");
    const { secret } = (await (await expectStatus(setup, 200)).json()) as { secret: string };
    const step = await withFreshStep(10);
    await expectStatus(
      await as(alice, "POST", "/api/two-factor/enable", {
        totpCode: await totpAt(secret, step - 1),
        password: PASSWORD,
      }),
      200,
    );
    const newKey = await signingKey();
    const replace = (proof: object) =>
      as(alice, "PUT", "/api/keys/account", { publicKey: bytesToBase64(newKey.publicKey), ...proof });
    const passwordOnly = await replace({ password: PASSWORD });
    expect(passwordOnly.status).toBe(403);
    expect(await errorCode(passwordOnly)).toBe("two_factor_required");
    await expectStatus(await replace({ password: PASSWORD, totpCode: await totpAt(secret, step) }), 201);
  });

  it("lets the session rewrite the backup under the same recovery key, and wants the password for a new one", async () => {
    const wrap = bytesToBase64(new TextEncoder().encode("recovery key under alice's passphrase"));
    const first = { ...sealed("alice's keys", KEY_ID), passphraseWrap: wrap, previousVersion: 0 };
    const firstWithoutPassword = await as(alice, "PUT", "/api/keys/backup", first);
    expect(firstWithoutPassword.status).toBe(403);
    expect(await errorCode(firstWithoutPassword)).toBe("password_required");
    await expectStatus(await as(alice, "PUT", "/api/keys/backup", { ...first, password: PASSWORD }), 200);
    // The routine rewrite a browser makes whenever a history key arrives: the session is enough.
    const routine = {
      ...sealed("alice's keys and a new history key", KEY_ID),
      passphraseWrap: wrap,
      previousVersion: 1,
    };
    await expectStatus(await as(alice, "PUT", "/api/keys/backup", routine), 200);
    // Mallory holds alice's access token: her own recovery key, or her own passphrase, is refused.
    const mallorys = { ...sealed("mallory's keys", MALLORYS_KEY_ID), passphraseWrap: wrap, previousVersion: 2 };
    const newKey = await as(alice, "PUT", "/api/keys/backup", mallorys);
    expect(newKey.status).toBe(403);
    expect(await errorCode(newKey)).toBe("password_required");
    const newPassphrase = await as(alice, "PUT", "/api/keys/backup", {
      ...routine,
      passphraseWrap: bytesToBase64(new TextEncoder().encode("recovery key under mallory's passphrase")),
      previousVersion: 2,
    });
    expect(newPassphrase.status).toBe(403);
    expect(await errorCode(newPassphrase)).toBe("password_required");
    // Alice herself sets up a new recovery key with her password; her other sessions find it in the log.
    const renewed = { ...sealed("alice's keys, new recovery key", OLD_KEY_ID), previousVersion: 2, password: PASSWORD };
    await expectStatus(await as(alice, "PUT", "/api/keys/backup", renewed), 200);
    const log = (await (await as(alice, "GET", "/api/account/audit")).json()) as { events: { action: string }[] };
    expect(log.events.map((event) => event.action)).toEqual(
      expect.arrayContaining(["key_backup.created", "key_backup.replaced"]),
    );
  });

  it("keeps earlier versions, listed and fetchable, when a stolen session writes over the latest", async () => {
    const good = { ...sealed("alice's good backup", KEY_ID), previousVersion: 0, password: PASSWORD };
    await expectStatus(await as(alice, "PUT", "/api/keys/backup", good), 200);
    // Mallory, from a session of her own, writes garbage under alice's key id, again and again.
    const stolen = await signInAgain(alice);
    for (let version = 1; version <= 12; version++) {
      await expectStatus(
        await as(stolen, "PUT", "/api/keys/backup", {
          ...sealed(`garbage ${version}`, KEY_ID),
          previousVersion: version,
        }),
        200,
      );
    }
    const versions = await versionsOf(alice);
    expect(versions[0]).toMatchObject({ version: 13, keyId: KEY_ID, hasPassphrase: false, isLatest: true });
    // The newest ten earlier ones, and the newest alice's own session wrote, whatever came after.
    expect(versions.slice(1).map((entry) => entry.version)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 1]);
    const earliest = await expectStatus(await as(alice, "GET", "/api/keys/backup/versions/1"), 200);
    expect(await earliest.json()).toMatchObject({ version: 1, keyId: KEY_ID, backup: good.backup });
    const latest = await expectStatus(await as(alice, "GET", "/api/keys/backup/versions/13"), 200);
    expect(await latest.json()).toMatchObject({ version: 13 });
    expect((await as(alice, "GET", "/api/keys/backup/versions/2")).status).toBe(404);
    expect((await as(bob, "GET", "/api/keys/backup/versions/1")).status).toBe(404);
  });
});
