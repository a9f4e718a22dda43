/**
 * Hashing and checking passwords. workerd runs a process's requests on one thread,
 * and one scrypt hash holds it for ~0.4 s: every socket in every room would stall.
 * So where the PASSWORD_HASHER binding exists (self-hosted: a second workerd process,
 * see workerd/chatalot.capnp), the work goes there; elsewhere (wrangler dev, tests,
 * Cloudflare, where requests do not share one thread) it runs in place.
 */
import { AppError } from "./errors.ts";
import { scryptHash, scryptNothing, scryptVerify } from "./scrypt.ts";

/** The hasher binding exists only in the self-hosted configuration, so it is not in the generated Env. */
const hasherOf = (env: object): Fetcher | undefined => (env as { PASSWORD_HASHER?: Fetcher }).PASSWORD_HASHER;

export type HasherRequest =
  | { op: "hash"; password: string }
  | { op: "verify"; password: string; stored: string }
  | { op: "nothing"; password: string };

export function hashPassword(env: object, password: string): Promise<string> {
  const hasher = hasherOf(env);
  return hasher ? remote(hasher, { op: "hash", password }) : scryptHash(password);
}

export function verifyPassword(env: object, password: string, stored: string): Promise<boolean> {
  const hasher = hasherOf(env);
  return hasher ? remote(hasher, { op: "verify", password, stored }) : scryptVerify(password, stored);
}

/** The same work as a verification, for unknown users, so timing does not tell them apart. */
export function verifyNothing(env: object, password: string): Promise<false> {
  const hasher = hasherOf(env);
  return hasher ? remote(hasher, { op: "nothing", password }) : scryptNothing(password);
}

async function remote<T>(hasher: Fetcher, request: HasherRequest): Promise<T> {
  const response = await hasher.fetch("http://password-hasher/", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(request),
  });
  if (!response.ok)
    throw new AppError(503, "hasher_unavailable", "password checks are unavailable right now: try again shortly");
  return ((await response.json()) as { result: T }).result;
}
