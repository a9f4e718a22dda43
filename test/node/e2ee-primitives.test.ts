/**
 * The encryption primitives that do not depend on MLS: attachments sealed in 64 KiB
 * chunks (every way of damaging the file is refused, never half-decrypted) and the
 * safety numbers two people compare; the key backup's sealing and the rules a backup
 * passphrase must meet.
 */
import { describe, expect, it } from "vitest";
import {
  AccountKeyTrust,
  ATTACHMENT_CHUNK_BYTES,
  decryptAttachment,
  encryptAttachment,
  EPOCH_MAX_AGE_MS,
  epochCode,
  isRotationDue,
  newAttachmentKey,
  accountKeysFrom,
  backupContentKey,
  newBackupWriter,
  newRecoveryKey,
  openBackup,
  passphraseProblem,
  recoveryKeyId,
  parseRecoveryKey,
  recoveryKeyText,
  sealBackup,
  unwrapWithPassphrase,
  wrapWithPassphrase,
  safetyNumber,
  safetyQrPayload,
} from "../../e2ee/index.ts";

const bytes = (length: number) => {
  const data = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65_536) {
    crypto.getRandomValues(data.subarray(offset, Math.min(length, offset + 65_536)));
  }
  return data;
};
const HEADER = 15;
const SEALED_CHUNK = ATTACHMENT_CHUNK_BYTES + 16;

describe("an encrypted attachment", () => {
  it.each([0, 1, ATTACHMENT_CHUNK_BYTES - 1, ATTACHMENT_CHUNK_BYTES, ATTACHMENT_CHUNK_BYTES + 1, 300_000])(
    "of %i bytes decrypts to the same bytes, and hides them",
    async (length) => {
      const key = newAttachmentKey();
      const file = bytes(length);
      const sealed = await encryptAttachment(key, file);
      expect(sealed.byteLength).toBe(HEADER + length + Math.max(1, Math.ceil(length / ATTACHMENT_CHUNK_BYTES)) * 16);
      expect(await decryptAttachment(key, sealed)).toEqual(file);
      if (length >= 32) expect(Buffer.from(sealed).includes(Buffer.from(file.subarray(0, 32)))).toBe(false);
    },
  );

  it("is refused when any byte changed, chunks were swapped, dropped or cut off, or the key is wrong", async () => {
    const key = newAttachmentKey();
    const sealed = await encryptAttachment(key, bytes(3 * ATTACHMENT_CHUNK_BYTES + 10));
    const flip = (at: number) => {
      const copy = new Uint8Array(sealed);
      copy[at]! ^= 1;
      return copy;
    };
    const chunk = (index: number) =>
      sealed.subarray(HEADER + index * SEALED_CHUNK, HEADER + (index + 1) * SEALED_CHUNK);
    const joined = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
    const damaged: [string, Uint8Array][] = [
      ["a header byte", flip(8)],
      ["a first-chunk byte", flip(HEADER + 5)],
      ["a last tag byte", flip(sealed.byteLength - 1)],
      ["two chunks swapped", joined(sealed.subarray(0, HEADER), chunk(1), chunk(0), chunk(2), chunk(3))],
      ["a middle chunk dropped", joined(sealed.subarray(0, HEADER), chunk(0), chunk(2), chunk(3))],
      ["the last chunk cut off", sealed.subarray(0, HEADER + 3 * SEALED_CHUNK)],
      ["a chunk repeated", joined(sealed.subarray(0, HEADER), chunk(0), chunk(0), chunk(1), chunk(2), chunk(3))],
    ];
    for (const [what, bad] of damaged) {
      await expect(decryptAttachment(key, bad), what).rejects.toThrow(/damaged or incomplete|not an encrypted/);
    }
    await expect(decryptAttachment(newAttachmentKey(), sealed)).rejects.toThrow(/failed authentication/);
    await expect(decryptAttachment(key.subarray(0, 16), sealed)).rejects.toThrow(/32 bytes/);
  });
});

describe("a safety number", () => {
  const alice = { userId: "a1c3e0aa-0000-4000-8000-000000000001", accountKey: bytes(32) };
  const bob = { userId: "b0b00000-0000-4000-8000-000000000002", accountKey: bytes(32) };

  it("is sixty digits in twelve groups, the same whichever side computes it", async () => {
    const seen = await safetyNumber(alice, bob);
    expect(seen).toMatch(/^(\d{5} ){11}\d{5}$/);
    expect(await safetyNumber(bob, alice)).toBe(seen);
    expect(await safetyQrPayload(bob, alice)).toBe(await safetyQrPayload(alice, bob));
  });

  it("changes when either account key changes, and only then", async () => {
    const before = await safetyNumber(alice, bob);
    expect(await safetyNumber(alice, { ...bob })).toBe(before);
    const changed = await safetyNumber(alice, { ...bob, accountKey: bytes(32) });
    expect(changed).not.toBe(before);
    // Half of the digits belong to each person: alice's half stays.
    const aliceHalf = (number: string) => (alice.userId < bob.userId ? number.slice(0, 35) : number.slice(36));
    expect(aliceHalf(changed)).toBe(aliceHalf(before));
  });

  it("gives a group twelve digits from its epoch authenticator", () => {
    const authenticator = new Uint8Array(32).fill(0);
    authenticator[7] = 42;
    expect(epochCode(authenticator)).toBe("0000 0000 0042");
    expect(() => epochCode(new Uint8Array(4))).toThrow();
  });
});

describe("epoch rotation", () => {
  it("is due after 7 days or 1,000 messages, whichever comes first", () => {
    const now = Date.UTC(2026, 10, 29);
    const startedAt = (msAgo: number) => new Date(now - msAgo);
    expect(isRotationDue({ startedAt: startedAt(EPOCH_MAX_AGE_MS - 1), messages: 999 }, now)).toBe(false);
    expect(isRotationDue({ startedAt: startedAt(EPOCH_MAX_AGE_MS), messages: 0 }, now)).toBe(true);
    expect(isRotationDue({ startedAt: startedAt(60_000), messages: 1000 }, now)).toBe(true);
  });
});

describe("trust in account keys", () => {
  const key = (byte: number) => new Uint8Array(32).fill(byte);
  const bob = "2b0c6f0e-0000-4000-8000-0000000000b0";

  it("lets a later decision stand, and never lets a first use elsewhere replace one", () => {
    const trust = new AccountKeyTrust();
    expect(trust.check(bob, key(1))).toBe(true); // first use: trusted, stamped 0
    trust.accept(bob, key(1), true, 100);
    // Another device of the person met a different key first (the server showed it one): no effect here.
    trust.merge(bob, { accountKey: key(2), verified: false, decidedAt: 0 });
    expect(trust.statusOf(bob)).toBe("verified");
    expect(trust.keysOf(bob)).toEqual([key(1)]);
    // An older decision elsewhere neither.
    trust.merge(bob, { accountKey: key(3), verified: true, decidedAt: 50 });
    expect(trust.keysOf(bob)).toEqual([key(1)]);
    // A later one does; the keys trusted before it still vouch for what they certified.
    trust.merge(bob, { accountKey: key(4), verified: true, decidedAt: 200, previousKeys: [key(1)] });
    expect(trust.keysOf(bob)).toEqual([key(4), key(1)]);
    expect(trust.check(bob, key(5))).toBe(false);
    expect(trust.statusOf(bob)).toBe("changed");
    trust.accept(bob, key(5), false, 300);
    expect(trust.statusOf(bob)).toBe("trusted");
    expect(trust.keysOf(bob)).toEqual([key(5), key(4), key(1)]);
    expect(trust.latestDecision()).toBe(300);
  });
});

describe("the key backup", () => {
  const content = {
    accountKey: { privateKey: "cHJpdmF0ZQ==", publicKey: "cHVibGlj" },
    trust: { "2b0c6f0e-0000-4000-8000-000000000001": { accountKey: "a2V5", verified: true, decidedAt: 1 } },
    historyKeys: { "2b0c6f0e-0000-4000-8000-000000000002": { "0": "aGlzdG9yeQ==" } },
  };

  it("writes the recovery key as 13 groups of four that read back to the same key, and refuses a mistyped one", () => {
    const key = newRecoveryKey();
    const text = recoveryKeyText(key);
    expect(text).toMatch(/^([A-HJ-NP-Z2-9]{4}-){12}[A-HJ-NP-Z2-9]{4}$/);
    expect(parseRecoveryKey(text.toLowerCase().replaceAll("-", " "))).toEqual(key);
    expect(parseRecoveryKey(text.slice(0, -1))).toBeNull();
    expect(parseRecoveryKey(text.replace(/^./, "0"))).toBeNull();
  });

  it("opens with the recovery key or the passphrase, and with nothing else", async () => {
    const key = newRecoveryKey();
    const sealed = await sealBackup(await backupContentKey(key), content);
    expect(await openBackup(key, sealed)).toEqual(content);
    await expect(openBackup(newRecoveryKey(), sealed)).rejects.toThrow();
    const changed = sealed.slice();
    changed[changed.length - 1]! ^= 1;
    await expect(openBackup(key, changed)).rejects.toThrow();
    const wrap = await wrapWithPassphrase(key, "correct horse battery staple");
    expect(await unwrapWithPassphrase(wrap, "correct horse battery staple")).toEqual(key);
    await expect(unwrapWithPassphrase(wrap, "correct horse battery stapler")).rejects.toThrow();
  }, 60_000);

  it("boxes the account key once; a device rewrites the backup with keys it cannot export", async () => {
    const key = newRecoveryKey();
    const accountKeys = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    const writer = await newBackupWriter(key, accountKeys, null);
    expect(writer.keyId).toBe(await recoveryKeyId(key));
    expect(writer.keyId).not.toBe(await recoveryKeyId(newRecoveryKey()));
    expect(writer.contentKey.extractable).toBe(false);
    const publicKey = new Uint8Array((await crypto.subtle.exportKey("raw", accountKeys.publicKey)) as ArrayBuffer);
    const boxed = {
      ...content,
      accountKey: {
        box: btoa(String.fromCharCode(...writer.accountKeyBox)),
        publicKey: btoa(String.fromCharCode(...publicKey)),
      },
    };
    const opened = await openBackup(writer.contentKey, await sealBackup(writer.contentKey, boxed));
    // What comes out of the backup signs as the account key, and cannot be exported again.
    const restored = await accountKeysFrom(opened, key);
    expect(restored.privateKey.extractable).toBe(false);
    const signature = await crypto.subtle.sign({ name: "Ed25519" }, restored.privateKey, new Uint8Array([1, 2, 3]));
    expect(
      await crypto.subtle.verify({ name: "Ed25519" }, accountKeys.publicKey, signature, new Uint8Array([1, 2, 3])),
    ).toBe(true);
    await expect(accountKeysFrom(opened, newRecoveryKey())).rejects.toThrow();
    await expect(newBackupWriter(key, restored, null)).rejects.toThrow(/recovery key/);
  });
});

describe("a backup passphrase", () => {
  const alice = { username: "alice", password: "alice's sign-in password 2024" };

  it("is refused when it is the account password, which the server sees at every sign-in", async () => {
    expect(await passphraseProblem(alice.password, alice)).toMatch(/other than your account password/);
    expect(await passphraseProblem(` ALICE'S SIGN-IN PASSWORD 2024 `, alice)).toMatch(
      /other than your account password/,
    );
    expect(await passphraseProblem(`${alice.password}!!`, alice)).toMatch(/other than your account password/);
  });

  it("is refused when short or easy to guess, in words that say why", async () => {
    expect(await passphraseProblem("Tr0ub4dor&3", alice)).toMatch(/at least 15 characters/);
    expect(await passphraseProblem("password1234567", alice)).toMatch(/too easy to guess \(it is .*\)/);
    expect(await passphraseProblem("qwertyuiopasdfgh", alice)).toMatch(/too easy to guess/);
    expect(await passphraseProblem("aliceAliceAlice1", alice)).toMatch(/too easy to guess/);
  });

  it("is accepted when long and unlikely", async () => {
    expect(await passphraseProblem("violet tractor under seventeen paper lanterns", alice)).toBeNull();
    expect(await passphraseProblem("gV7#pq2!Lm9@xR4z", alice)).toBeNull();
  });
});
