/**
 * Signed tokens (EdDSA / Ed25519 through jose): 15-minute access tokens naming the
 * user (`sub`) and session (`sid`), and
 * one-minute socket tickets that let a browser open a channel's WebSocket without
 * putting its access token in a URL. Verification accepts every configured public
 * key, so a key can be rotated without signing anyone out.
 */
import { calculateJwkThumbprint, exportJWK, importPKCS8, importSPKI, jwtVerify, SignJWT, type JWK } from "jose";
import type { Config } from "./config.ts";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const SOCKET_TICKET_TTL_SECONDS = 60;
const ISSUER = "chatalot";
const ACCESS_AUDIENCE = "chatalot:api";
const SOCKET_AUDIENCE = "chatalot:socket";
/** A proof of recent re-authentication, for the admin actions that need one. */
const ELEVATION_AUDIENCE = "chatalot:elevated";
/** A browser's memory of the accounts that signed in on it (the lockout's known devices). */
const DEVICE_AUDIENCE = "chatalot:device";
export const DEVICE_TOKEN_TTL_SECONDS = 400 * 24 * 60 * 60;
export const ELEVATION_TTL_SECONDS = 10 * 60;
const ALGORITHM = "EdDSA";

interface KeySet {
  signingKey: CryptoKey;
  signingKid: string;
  verifyingKeys: Map<string, CryptoKey>;
  jwks: JWK[];
}

const keySets = new WeakMap<Config, Promise<KeySet>>();

function keySet(config: Config): Promise<KeySet> {
  let keys = keySets.get(config);
  if (!keys) {
    keys = loadKeys(config);
    keySets.set(config, keys);
  }
  return keys;
}

async function loadKeys(config: Config): Promise<KeySet> {
  const signingKey = await importPKCS8(config.JWT_PRIVATE_KEY, ALGORITHM, { extractable: true }).catch(() => {
    throw new Error("JWT_PRIVATE_KEY is not an Ed25519 private key: run scripts/generate-keys.sh");
  });
  const signingJwk = await exportJWK(signingKey);
  const signingKid = await calculateJwkThumbprint({ kty: "OKP", crv: signingJwk.crv, x: signingJwk.x });
  const verifyingKeys = new Map<string, CryptoKey>();
  const jwks: JWK[] = [];
  for (const pem of config.JWT_PUBLIC_KEYS) {
    const key = await importSPKI(pem, ALGORITHM, { extractable: true }).catch(() => {
      throw new Error("JWT_PUBLIC_KEYS holds a key that is not an Ed25519 public key: run scripts/generate-keys.sh");
    });
    const jwk = await exportJWK(key);
    const kid = await calculateJwkThumbprint(jwk);
    verifyingKeys.set(kid, key);
    jwks.push({ ...jwk, kid, alg: ALGORITHM, use: "sig" });
  }
  if (!verifyingKeys.has(signingKid)) {
    throw new Error(
      "JWT_PUBLIC_KEYS does not contain the public half of JWT_PRIVATE_KEY: re-run scripts/generate-keys.sh",
    );
  }
  return { signingKey, signingKid, verifyingKeys, jwks };
}

export async function publicJwks(config: Config): Promise<JWK[]> {
  return (await keySet(config)).jwks;
}

/** Who a token speaks for: the user and the session (device) it was issued to. */
export interface TokenSubject {
  userId: string;
  sessionId: string;
}

export function issueAccessToken(config: Config, subject: TokenSubject): Promise<{ token: string; expiresAt: Date }> {
  return sign(config, { sid: subject.sessionId }, subject.userId, ACCESS_AUDIENCE, ACCESS_TOKEN_TTL_SECONDS);
}

/**
 * A one-minute ticket for one socket scope (a channel id, the account socket, the
 * admin console). It also carries the username, so the room can name the person
 * (typing) without asking the database again.
 */
export async function issueSocketTicket(
  config: Config,
  subject: TokenSubject & { username?: string },
  channelId: string,
): Promise<{ ticket: string; expiresAt: Date }> {
  // `jti` names this ticket, so the upgrade route can refuse a second use of it.
  const claims: Record<string, string> = { sid: subject.sessionId, channel: channelId, jti: crypto.randomUUID() };
  if (subject.username) claims.name = subject.username;
  const { token, expiresAt } = await sign(config, claims, subject.userId, SOCKET_AUDIENCE, SOCKET_TICKET_TTL_SECONDS);
  return { ticket: token, expiresAt };
}

async function sign(
  config: Config,
  claims: Record<string, string>,
  subject: string,
  audience: string,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  const { signingKey, signingKid } = await keySet(config);
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, kid: signingKid })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(signingKey);
  return { token, expiresAt };
}

/** The subject of a valid access token, or null. The session may still have been revoked since. */
export async function verifyAccessToken(config: Config, token: string): Promise<TokenSubject | null> {
  return subjectOf(await verify(config, token, ACCESS_AUDIENCE));
}

/** The subject of a valid ticket for this channel, or null. */
export async function verifySocketTicket(
  config: Config,
  ticket: string,
  channelId: string,
): Promise<(TokenSubject & { username?: string; ticketId: string; expiresAtMs: number }) | null> {
  const payload = await verify(config, ticket, SOCKET_AUDIENCE);
  const subject = payload?.channel === channelId ? subjectOf(payload) : null;
  if (!subject || typeof payload?.jti !== "string" || !payload.exp) return null;
  const ticketed = { ...subject, ticketId: payload.jti, expiresAtMs: payload.exp * 1000 };
  return typeof payload.name === "string" ? { ...ticketed, username: payload.name } : ticketed;
}

function subjectOf(payload: { sub?: string; sid?: unknown } | null): TokenSubject | null {
  return payload?.sub && typeof payload.sid === "string" ? { userId: payload.sub, sessionId: payload.sid } : null;
}

async function verify(config: Config, token: string, audience: string) {
  const { verifyingKeys } = await keySet(config);
  try {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        const key = header.kid ? verifyingKeys.get(header.kid) : undefined;
        if (!key) throw new Error("unknown key id");
        return key;
      },
      // Every token we sign expires: one without `exp` (or `iat`) is not ours, whatever its signature.
      { issuer: ISSUER, audience, algorithms: [ALGORITHM], requiredClaims: ["exp", "iat"] },
    );
    return payload as typeof payload & { channel?: string; sid?: string; name?: string; users?: string };
  } catch {
    return null;
  }
}

/** After the password (and code) were confirmed: a ten-minute proof, bound to this session. */
export async function issueElevation(
  config: Config,
  subject: TokenSubject,
): Promise<{ token: string; expiresAt: Date }> {
  return sign(config, { sid: subject.sessionId }, subject.userId, ELEVATION_AUDIENCE, ELEVATION_TTL_SECONDS);
}

/** Whether `token` proves that this very session re-authenticated within the last ten minutes. */
export async function isElevated(config: Config, token: string, subject: TokenSubject): Promise<boolean> {
  const proven = subjectOf(await verify(config, token, ELEVATION_AUDIENCE));
  return proven?.userId === subject.userId && proven.sessionId === subject.sessionId;
}

/** Names the accounts that signed in on this browser, newest first. */
export async function issueDeviceToken(config: Config, userIds: string[]): Promise<string> {
  const { token } = await sign(
    config,
    { users: userIds.join(",") },
    "device",
    DEVICE_AUDIENCE,
    DEVICE_TOKEN_TTL_SECONDS,
  );
  return token;
}

/** The accounts a device token names, or none when it is not a valid one of ours. */
export async function deviceTokenUsers(config: Config, token: string): Promise<string[]> {
  const payload = await verify(config, token, DEVICE_AUDIENCE);
  return typeof payload?.users === "string" && payload.users ? payload.users.split(",") : [];
}
