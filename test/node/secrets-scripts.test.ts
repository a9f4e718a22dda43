/**
 * The operator scripts that make secrets/: scripts/generate-secrets.sh and
 * scripts/generate-keys.sh, run with /bin/sh in a throwaway SECRETS_DIR.
 */
import { spawnSync } from "node:child_process";
import { createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testKeys } from "../support/keys.ts";
import { root } from "../support/server.ts";

const SECRET_FILES = [
  "db_password",
  "jwt_private.pem",
  "jwt_public.pem",
  "metrics_token",
  "totp_encryption_key",
  "totp_encryption_key_version",
  "totp_encryption_keys_retired",
  "turn_secret",
  "vapid_private.pem",
];
const HEX_64 = /^[0-9a-f]{64}$/;

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

/** A fresh parent directory; the scripts create SECRETS_DIR inside it. */
function secretsDir(): string {
  const parent = mkdtempSync(join(tmpdir(), "chatalot-secrets-test-"));
  directories.push(parent);
  return join(parent, "secrets");
}

interface Run {
  status: number | null;
  output: string;
}

function run(script: "generate-secrets.sh" | "generate-keys.sh", dir: string, env: Record<string, string> = {}): Run {
  const result = spawnSync("sh", [join(root, "scripts", script)], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, SECRETS_DIR: dir, ...env },
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function generated(dir: string, env: Record<string, string> = {}): Run {
  const result = run("generate-secrets.sh", dir, env);
  expect(result.status, result.output).toBe(0);
  return result;
}

const modeOf = (path: string) => statSync(path).mode & 0o777;
const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");

/** Bytes, modification time, mode and owner of every file, to compare two runs. */
function snapshot(dir: string) {
  return Object.fromEntries(
    readdirSync(dir).map((name) => {
      const stat = statSync(join(dir, name));
      return [name, { bytes: read(dir, name), mtimeMs: stat.mtimeMs, mode: stat.mode, uid: stat.uid }];
    }),
  );
}

/** The public key derived from a PEM private key, as SPKI DER. */
function publicKeyOf(privatePem: string): Buffer {
  return createPublicKey(createPrivateKey(privatePem)).export({ type: "spki", format: "der" });
}

describe("scripts/generate-secrets.sh", () => {
  it("creates every secret in a new owner-only directory: private files 0600, the public key 0644", () => {
    const dir = secretsDir();
    const { output } = generated(dir);

    expect(readdirSync(dir).sort()).toEqual(SECRET_FILES);
    expect(modeOf(dir)).toBe(0o700);
    for (const name of [
      "db_password",
      "jwt_private.pem",
      "metrics_token",
      "totp_encryption_key",
      "turn_secret",
      "vapid_private.pem",
    ]) {
      expect(modeOf(join(dir, name)), name).toBe(0o600);
    }
    expect(modeOf(join(dir, "jwt_public.pem"))).toBe(0o644);
    for (const name of SECRET_FILES) expect(output).toContain(`created ${join(dir, name)}`);
  });

  it("makes a TOTP key of exactly 64 hex characters and distinct hex database, TURN and metrics secrets", () => {
    const dir = secretsDir();
    generated(dir);

    const secrets = ["totp_encryption_key", "db_password", "turn_secret", "metrics_token"].map((name) =>
      read(dir, name),
    );
    for (const secret of secrets) expect(secret).toMatch(HEX_64);
    expect(new Set(secrets).size).toBe(4);
  });

  it("makes a valid Ed25519 key pair whose public key belongs to the private key", () => {
    const dir = secretsDir();
    generated(dir);

    const privateKey = createPrivateKey(read(dir, "jwt_private.pem"));
    const publicKey = createPublicKey(read(dir, "jwt_public.pem"));
    expect(privateKey.asymmetricKeyType).toBe("ed25519");
    expect(publicKey.export({ type: "spki", format: "der" })).toEqual(publicKeyOf(read(dir, "jwt_private.pem")));
    const message = Buffer.from("alice signs in");
    expect(verify(null, message, publicKey, sign(null, message, privateKey))).toBe(true);
  });

  it("makes a P-256 VAPID key for Web Push, as PKCS#8 PEM", () => {
    const dir = secretsDir();
    generated(dir);

    const vapid = createPrivateKey(read(dir, "vapid_private.pem"));
    // PKCS#8 PEM, as the server reads it: exporting the parsed key that way gives the file back.
    expect(vapid.export({ type: "pkcs8", format: "pem" })).toBe(read(dir, "vapid_private.pem"));
    expect(vapid.asymmetricKeyType).toBe("ec");
    expect(vapid.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
  });

  it("changes nothing when run a second time: same bytes, times, modes and owners", () => {
    const dir = secretsDir();
    generated(dir);
    const before = snapshot(dir);
    const directoryMode = modeOf(dir);

    const { output } = generated(dir);

    expect(snapshot(dir)).toEqual(before);
    expect(modeOf(dir)).toBe(directoryMode);
    for (const name of SECRET_FILES) expect(output).toContain(`kept existing ${join(dir, name)}`);
    expect(output).not.toContain("created");
  });

  it("never overwrites an existing file, and still creates the missing ones", () => {
    const dir = secretsDir();
    generated(dir);
    const totpKey = read(dir, "totp_encryption_key");
    writeFileSync(join(dir, "db_password"), "the operator's own password", { mode: 0o600 });
    rmSync(join(dir, "turn_secret"));

    const { output } = generated(dir);

    expect(read(dir, "db_password")).toBe("the operator's own password");
    expect(read(dir, "totp_encryption_key")).toBe(totpKey);
    expect(read(dir, "turn_secret")).toMatch(HEX_64);
    expect(output).toContain(`created ${join(dir, "turn_secret")}`);
  });

  it("leaves no half-written file behind when a step fails", () => {
    const dir = secretsDir();
    // An openssl that dies half way through writing a key: the one fake, at the outer boundary.
    const bin = join(dir, "..", "bin");
    mkdirSync(bin);
    const fakeOpenssl = join(bin, "openssl");
    writeFileSync(fakeOpenssl, "#!/bin/sh\necho 'the first half of a key'\nexit 1\n");
    chmodSync(fakeOpenssl, 0o755);

    const result = run("generate-secrets.sh", dir, { PATH: `${bin}:${process.env.PATH}` });

    expect(result.status).not.toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      "db_password",
      "metrics_token",
      "totp_encryption_key",
      "totp_encryption_key_version",
      "totp_encryption_keys_retired",
      "turn_secret",
    ]);
    expect(generated(dir).output).toContain(`created ${join(dir, "jwt_private.pem")}`);
    expect(createPrivateKey(read(dir, "jwt_private.pem")).asymmetricKeyType).toBe("ed25519");
  });

  it("gives every file to CHATALOT_UID, keeping the modes, and leaves them alone after that", () => {
    const dir = secretsDir();
    // As root, a user the container would be; otherwise ourselves, the one chown anyone may do.
    const uid = process.getuid?.() === 0 ? 10001 : process.getuid!();
    generated(dir);

    const { output } = generated(dir, { CHATALOT_UID: String(uid) });

    for (const name of SECRET_FILES) expect(statSync(join(dir, name)).uid, name).toBe(uid);
    expect(modeOf(join(dir, "jwt_private.pem"))).toBe(0o600);
    if (process.getuid?.() === 0) expect(output).toContain(`gave ${join(dir, "db_password")} to uid ${uid}`);
    const before = snapshot(dir);
    generated(dir, { CHATALOT_UID: String(uid) });
    expect(snapshot(dir)).toEqual(before);
  });

  it("refuses a CHATALOT_UID that is not a number", () => {
    const result = run("generate-secrets.sh", secretsDir(), { CHATALOT_UID: "chatalot" });

    expect(result.status).not.toBe(0);
    expect(result.output).toContain("CHATALOT_UID must be a numeric user id");
  });
});

describe("scripts/generate-keys.sh", () => {
  it("derives a deleted public key again from the private key, which it keeps", () => {
    const dir = secretsDir();
    generated(dir);
    const privatePem = read(dir, "jwt_private.pem");
    rmSync(join(dir, "jwt_public.pem"));

    const result = run("generate-keys.sh", dir);

    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain(`kept existing ${join(dir, "jwt_private.pem")}`);
    expect(result.output).toContain(`created ${join(dir, "jwt_public.pem")}`);
    expect(read(dir, "jwt_private.pem")).toBe(privatePem);
    expect(createPublicKey(read(dir, "jwt_public.pem")).export({ type: "spki", format: "der" })).toEqual(
      publicKeyOf(privatePem),
    );
    expect(modeOf(join(dir, "jwt_public.pem"))).toBe(0o644);
  });

  it("refuses to make a private key that could not match a public key left on its own", () => {
    const dir = secretsDir();
    generated(dir);
    rmSync(join(dir, "jwt_private.pem"));

    const result = run("generate-keys.sh", dir);

    expect(result.status).not.toBe(0);
    expect(result.output).toContain("jwt_public.pem exists but");
    expect(readdirSync(dir)).not.toContain("jwt_private.pem");
  });

  it("fails on a public key that belongs to another private key, and replaces neither", () => {
    const dir = secretsDir();
    generated(dir);
    const strangerKey = testKeys().publicKey;
    writeFileSync(join(dir, "jwt_public.pem"), strangerKey);

    const result = run("generate-keys.sh", dir);

    expect(result.status).not.toBe(0);
    expect(result.output).toContain("does not belong to");
    expect(read(dir, "jwt_public.pem")).toBe(strangerKey);
  });
});
