/**
 * The way out to push services. Self-hosted, the app has no network of its own
 * (workerd/chatalot.capnp): pushes leave through PUSH_NETWORK, a network service that
 * reaches public addresses only, so a subscription whose host resolves to a private
 * address still reaches nothing inside. On Cloudflare, plain fetch (which cannot reach
 * private networks either). PUSH_TEST_SERVICE_ORIGIN, for tests only, names the one
 * plain-http local origin that is let through, via the PUSH_TEST_SERVICE binding.
 */

/** What delivery reads from the environment beyond wrangler.toml's generated Env. */
export interface PushEnv {
  DATABASE: Env["DATABASE"];
  PUSH_QUEUE: Env["PUSH_QUEUE"];
  PUBLIC_URL: string;
  /** PKCS#8 PEM of the VAPID key; unset, Web Push is off. */
  VAPID_PRIVATE_KEY?: string | null;
  /** RFC 8292 `sub`: a mailto: or https: contact for push services; default PUBLIC_URL. */
  VAPID_SUBJECT?: string | null;
  PUSH_TEST_SERVICE_ORIGIN?: string | null;
  PUSH_NETWORK?: Fetcher;
  PUSH_TEST_SERVICE?: Fetcher;
}

export type Outbound = (request: Request) => Promise<Response>;

/** How to reach this endpoint, or null when it must not be reached at all. */
export function outboundFor(env: PushEnv, endpoint: URL): Outbound | null {
  if (isTestServiceOrigin(env, endpoint)) {
    const service = env.PUSH_TEST_SERVICE;
    return service ? (request) => service.fetch(request) : (request) => fetch(request);
  }
  if (endpoint.protocol !== "https:" || endpoint.username || endpoint.password) return null;
  const network = env.PUSH_NETWORK;
  return network ? (request) => network.fetch(request) : (request) => fetch(request);
}

/** The tests' fake push service; never when PUBLIC_URL is https (functions/config.ts refuses that too). */
export function isTestServiceOrigin(env: Pick<PushEnv, "PUSH_TEST_SERVICE_ORIGIN" | "PUBLIC_URL">, endpoint: URL) {
  const origin = env.PUSH_TEST_SERVICE_ORIGIN;
  if (!origin || env.PUBLIC_URL.startsWith("https:") || !URL.canParse(origin)) return false;
  return endpoint.origin === new URL(origin).origin;
}

/** A push service's host for the log: never the endpoint's path (it identifies the device) or keys. */
export const serviceHost = (endpoint: string) => (URL.canParse(endpoint) ? new URL(endpoint).host : "(invalid)");
