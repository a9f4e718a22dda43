/**
 * Chatalot's public HTTP API as the bench uses it to set up a load: register
 * accounts (the first is the bootstrap admin, who may create communities), create
 * communities and their channels, and join them.
 * Rate-limited requests carry an X-Forwarded-For address (client-addresses.ts).
 * `baseUrl` may change: a restarted server listens on a new port.
 */
import { ClientAddresses, type LimitedRoute } from "./client-addresses.ts";

const PASSWORD = "bench-password-not-secret";
/** A community holds at most 500 channels (409 too_many_channels); stay well below. */
const CHANNELS_PER_COMMUNITY = 200;
/** Requests in flight at once while creating channels. */
const SETUP_CONCURRENCY = 4;

export interface Account {
  userId: string;
  accessToken: string;
}

export class ChatalotApi {
  readonly addresses = new ClientAddresses();
  baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  /** Registers account number `index`; number 0 is named "admin", the instance's bootstrap admin. */
  async register(index: number): Promise<Account> {
    const session = await this.request<{ accessToken: string; user: { id: string } }>("POST", "/api/auth/register", {
      body: { username: index === 0 ? "admin" : `bench-user-${index}`, password: PASSWORD },
      route: "register",
    });
    return { userId: session.user.id, accessToken: session.accessToken };
  }

  /**
   * Creates `count` channels named `<prefix>-<n>`, owned by `owner`, in as many
   * communities as they need. Returns the channel ids in order and an invite code
   * for each community.
   */
  async createChannels(
    owner: Account,
    prefix: string,
    count: number,
  ): Promise<{ channels: string[]; invites: string[] }> {
    const channels: string[] = [];
    const invites: string[] = [];
    const communities = Math.max(1, Math.ceil(count / CHANNELS_PER_COMMUNITY));
    for (let community = 0; community < communities; community++) {
      const { community: created } = await this.request<{ community: { id: string } }>("POST", "/api/communities", {
        body: { name: `${prefix} ${community + 1}` },
        account: owner,
      });
      const path = `/api/communities/${created.id}`;
      invites.push(
        (await this.request<{ code: string }>("POST", `${path}/invites`, { body: {}, account: owner })).code,
      );
      const first = community * CHANNELS_PER_COMMUNITY;
      await inParallel(Math.min(CHANNELS_PER_COMMUNITY, count - first), SETUP_CONCURRENCY, async (offset) => {
        const body = { name: `${prefix}-${first + offset}` };
        const { channel } = await this.request<{ channel: { id: string } }>("POST", `${path}/channels`, {
          body,
          account: owner,
        });
        channels[first + offset] = channel.id;
      });
    }
    return { channels, invites };
  }

  /** `account` joins the communities of these invite codes. */
  async join(account: Account, invites: string[]): Promise<void> {
    for (const code of invites) {
      await this.request("POST", "/api/community-invites/accept", { body: { code }, account, route: "join" });
    }
  }

  /** One request; throws HttpError unless the answer is 2xx. `route` names a rate-limited route. */
  async request<T>(
    method: string,
    path: string,
    options: { body?: unknown; account?: Account; route?: LimitedRoute } = {},
  ): Promise<T> {
    const headers: Record<string, string> = options.route ? this.addresses.headersFor(options.route) : {};
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (options.account) headers.Authorization = `Bearer ${options.account.accessToken}`;
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new HttpError(response.status, `${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export class HttpError extends Error {
  override name = "HttpError";
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Runs work(0..count-1) with at most `concurrency` in flight; the first failure rejects. */
export async function inParallel(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(count, concurrency) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}
