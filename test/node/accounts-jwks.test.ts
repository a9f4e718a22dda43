/**
 * An issued access token verified by an independent verifier: OpenSSL, with the
 * public key taken from /.well-known/jwks.json, not from the server's own files.
 */
import { spawnSync } from "node:child_process";
import { createPublicKey } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, registerOn, type Account } from "../support/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { testKeys } from "../support/keys.ts";
import { startServer, type RunningServer } from "../support/server.ts";

let database: TestDatabase;
let server: RunningServer;
let alice: Account;
const workDir = mkdtempSync(join(tmpdir(), "chatalot-jwks-"));

beforeAll(async () => {
  database = await createTestDatabase("accounts_jwks");
  server = await startServer({ databaseUrl: database.url });
  alice = await registerOn(server, "alice", "correct horse battery staple");
});

afterAll(async () => {
  await server?.stop();
  await database?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

const decodeSegment = (segment: string) => JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));

/** `openssl pkeyutl -verify` of an Ed25519 signature over `signingInput` (Ed25519 signs the raw message: -rawin). */
function opensslVerifies(
  publicKeyPem: string,
  signingInput: string,
  signature: Buffer,
): { ok: boolean; output: string } {
  const key = join(workDir, "key.pem");
  const input = join(workDir, "signing-input");
  const sig = join(workDir, "sig.bin");
  writeFileSync(key, publicKeyPem);
  writeFileSync(input, signingInput);
  writeFileSync(sig, signature);
  const result = spawnSync(
    "openssl",
    ["pkeyutl", "-verify", "-pubin", "-inkey", key, "-rawin", "-in", input, "-sigfile", sig],
    {
      encoding: "utf8",
    },
  );
  if (result.error) throw new Error(`openssl could not run (${result.error.message}): install openssl`);
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

describe("an access token", () => {
  it("verifies with OpenSSL against the key published at /.well-known/jwks.json, and a tampered one does not", async () => {
    const [headerPart, payloadPart, signaturePart] = alice.token.split(".") as [string, string, string];
    const header = decodeSegment(headerPart);
    expect(header).toMatchObject({ alg: "EdDSA", kid: expect.any(String) });

    const jwks = await call(server, "/.well-known/jwks.json");
    expect(jwks.status).toBe(200);
    const jwk = jwks.body.keys.find((key: { kid: string }) => key.kid === header.kid);
    expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig", x: expect.any(String) });
    expect(jwk.d).toBeUndefined();
    const pem = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: "jwk" })
      .export({ type: "spki", format: "pem" })
      .toString();

    const signature = Buffer.from(signaturePart, "base64url");
    const genuine = opensslVerifies(pem, `${headerPart}.${payloadPart}`, signature);
    expect(genuine.ok, genuine.output).toBe(true);
    expect(genuine.output).toContain("Signature Verified Successfully");

    const claims = decodeSegment(payloadPart);
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...claims, sub: "00000000-0000-4000-8000-000000000000" }),
    ).toString("base64url");
    const tampered = opensslVerifies(pem, `${headerPart}.${forgedPayload}`, signature);
    expect(tampered.ok, tampered.output).toBe(false);
    expect(tampered.output).toContain("Signature Verification Failure");
    // The server agrees with OpenSSL about the forgery.
    const forged = await call(server, "/api/me", { token: `${headerPart}.${forgedPayload}.${signaturePart}` });
    expect(forged.status).toBe(401);
  });

  it("names issuer, audience, subject, session and a 15-minute lifetime", () => {
    const claims = decodeSegment(alice.token.split(".")[1]!);
    expect(claims).toMatchObject({ iss: "chatalot", aud: "chatalot:api", sub: alice.id, sid: alice.sessionId });
    expect(claims.exp - claims.iat).toBe(15 * 60);
  });
});

describe("rotating the signing key", () => {
  it("keeps tokens signed by the old key valid while its public key is still listed, and publishes both", async () => {
    const keyFiles = (name: string) => {
      const keys = testKeys();
      const privateFile = join(workDir, `${name}_private.pem`);
      const publicFile = join(workDir, `${name}_public.pem`);
      writeFileSync(privateFile, keys.privateKey, { mode: 0o600 });
      writeFileSync(publicFile, keys.publicKey);
      return { privateFile, publicFile };
    };
    const oldKey = keyFiles("old");
    const newKey = keyFiles("new");
    const withKeys = (signing: string, published: string[]) =>
      startServer({
        databaseUrl: database.url,
        env: { JWT_PRIVATE_KEY_FILE: signing, JWT_PUBLIC_KEY_FILES: published.join(" ") },
      });
    const kidOf = (token: string) => decodeSegment(token.split(".")[0]!).kid as string;

    await server.stop();
    server = await withKeys(oldKey.privateFile, [oldKey.publicFile]);
    const bob = await registerOn(server, "bob", "correct horse battery staple");

    await server.stop();
    server = await withKeys(newKey.privateFile, [newKey.publicFile, oldKey.publicFile]);
    expect((await call(server, "/api/me", { token: bob.token })).status).toBe(200);
    const renewed = await call(server, "/api/auth/refresh", { method: "POST", cookie: bob.cookie });
    expect(renewed.status, renewed.text).toBe(200);
    expect(kidOf(renewed.body.accessToken)).not.toBe(kidOf(bob.token));
    const published = (await call(server, "/.well-known/jwks.json")).body.keys.map((key: { kid: string }) => key.kid);
    expect(published).toEqual(expect.arrayContaining([kidOf(bob.token), kidOf(renewed.body.accessToken)]));

    // Once the old key is retired from the list, its tokens stop working; the new ones carry on.
    await server.stop();
    server = await withKeys(newKey.privateFile, [newKey.publicFile]);
    expect((await call(server, "/api/me", { token: bob.token })).status).toBe(401);
    expect((await call(server, "/api/me", { token: renewed.body.accessToken })).status).toBe(200);
  });
});
