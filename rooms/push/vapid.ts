/**
 * VAPID (RFC 8292): the server's P-256 key pair that push services tie subscriptions
 * to, and the signed JWT that proves each push comes from us. The private key is a
 * PKCS#8 PEM (secrets/vapid_private.pem, scripts/generate-secrets.sh); the public key
 * is derived from it, so there is one secret to keep and rotate.
 */
import { exportJWK, importPKCS8, SignJWT } from "jose";
import { base64UrlToBytes, bytesToBase64Url } from "../../protocol/push.ts";

export interface VapidKeys {
  signingKey: CryptoKey;
  /** The uncompressed public point in base64url: `applicationServerKey` and the `k=` parameter. */
  publicKey: string;
}

/** RFC 8292 §2: at most 24 hours; push services reject longer. Half a day leaves room for clock skew. */
const JWT_LIFETIME_SECONDS = 12 * 60 * 60;
/** A token is reused for one push service until this long before it expires: signing per push is waste. */
const JWT_RENEW_BEFORE_SECONDS = 60 * 60;

const keysByPem = new Map<string, Promise<VapidKeys>>();

/** Imports the PEM once per isolate. */
export function vapidKeys(privateKeyPem: string): Promise<VapidKeys> {
  let keys = keysByPem.get(privateKeyPem);
  if (!keys) {
    keys = importVapidKeys(privateKeyPem);
    keysByPem.set(privateKeyPem, keys);
    keys.catch(() => keysByPem.delete(privateKeyPem));
  }
  return keys;
}

async function importVapidKeys(privateKeyPem: string): Promise<VapidKeys> {
  const extractable = await importPKCS8(privateKeyPem, "ES256", { extractable: true });
  const jwk = await exportJWK(extractable);
  const x = base64UrlToBytes(jwk.x ?? "");
  const y = base64UrlToBytes(jwk.y ?? "");
  if (jwk.crv !== "P-256" || x?.length !== 32 || y?.length !== 32) throw new Error("the VAPID key is not a P-256 key");
  const point = new Uint8Array(65);
  point[0] = 0x04;
  point.set(x, 1);
  point.set(y, 33);
  // The key pushes are signed with stays inside WebCrypto.
  const signingKey = await importPKCS8(privateKeyPem, "ES256");
  return { signingKey, publicKey: bytesToBase64Url(point) };
}

const tokens = new Map<string, { header: string; expiresAt: number }>();

/** `Authorization: vapid t=<JWT>, k=<public key>` for a push service's origin (RFC 8292 §3). */
export async function vapidAuthorization(keys: VapidKeys, audience: string, subject: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const cacheKey = `${keys.publicKey} ${audience} ${subject}`;
  const cached = tokens.get(cacheKey);
  if (cached && cached.expiresAt - JWT_RENEW_BEFORE_SECONDS > now) return cached.header;
  const expiresAt = now + JWT_LIFETIME_SECONDS;
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg: "ES256", typ: "JWT" })
    .setAudience(audience)
    .setSubject(subject)
    .setExpirationTime(expiresAt)
    .sign(keys.signingKey);
  const header = `vapid t=${jwt}, k=${keys.publicKey}`;
  // Bounded: one entry per push service origin, of which browsers use a handful.
  if (tokens.size > 64) tokens.clear();
  tokens.set(cacheKey, { header, expiresAt });
  return header;
}
