/**
 * TURN REST credentials, the kind coturn checks with `use-auth-secret`: no TURN account
 * exists; the server signs a user name that carries its own expiry, and the relay, which
 * holds the same secret (secrets/turn_secret), recomputes the password. So nothing needs
 * revoking, and a credential that leaks stops working by itself.
 */

/**
 * How long a credential allocates relays. coturn checks it when a relay is allocated, not
 * while one is in use, so a call outlives it; clients fetch new ones (`expiresAt`) before
 * joining or restarting ICE. A few hours keeps a leaked one short-lived without making a
 * person refetch in the middle of an evening's call.
 */
export const TURN_CREDENTIAL_TTL_SECONDS = 6 * 60 * 60;

export interface TurnCredential {
  /** `<expiry, unix seconds>:<user id>`: coturn reads the expiry from the name itself. */
  username: string;
  /** base64(HMAC-SHA1(secret, username)). */
  credential: string;
  expiresAt: Date;
}

/** A credential for `userId`, valid TURN_CREDENTIAL_TTL_SECONDS from `now`. */
export async function turnCredential(secret: string, userId: string, now = new Date()): Promise<TurnCredential> {
  const expiry = Math.floor(now.getTime() / 1000) + TURN_CREDENTIAL_TTL_SECONDS;
  const username = `${expiry}:${userId}`;
  // coturn keys the HMAC with the secret's text as written in its config, not decoded from hex.
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(username)));
  return { username, credential: btoa(String.fromCharCode(...mac)), expiresAt: new Date(expiry * 1000) };
}
