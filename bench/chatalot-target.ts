/**
 * Chatalot as a bench target, through its public HTTP API: register accounts (the
 * first is the bootstrap admin, who may create communities), put them all in one
 * community, create its channels, and mint a socket ticket per connection (tickets live 60 s, so
 * each is asked for just before its socket is dialled). Registration is rate limited
 * per client address (429): the bench then goes on with the accounts it got, since
 * one account may hold any number of sockets.
 */
import type { Target } from "./target.ts";

const PASSWORD = "bench-password-not-secret";
/** Registrations in flight at once; each costs a ~0.4 s scrypt hash on the server. */
const REGISTER_CONCURRENCY = 2;

interface Account {
  userId: string;
  accessToken: string;
}

export async function prepareChatalot(
  baseUrl: string,
  options: { users: number; channels: number; members: number },
): Promise<Target & { accounts: number }> {
  const accounts: Account[] = [];
  const queue = Array.from({ length: options.users }, (_, index) => index);
  await Promise.all(
    Array.from({ length: REGISTER_CONCURRENCY }, async () => {
      for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
        try {
          const session = await postJson<{ accessToken: string; user: { id: string } }>(baseUrl, "/api/auth/register", {
            username: index === 0 ? "admin" : `bench-user-${index}`,
            password: PASSWORD,
          });
          accounts.push({ userId: session.user.id, accessToken: session.accessToken });
        } catch (error) {
          if (!(error instanceof HttpError && error.status === 429)) throw error;
          queue.length = 0; // rate limited: make do with the accounts we have
        }
      }
    }),
  );
  const owner = accounts[0];
  if (!owner) throw new Error("could not register a single account (rate limited from the start?)");
  const { community } = await postJson<{ community: { id: string } }>(
    baseUrl,
    "/api/communities",
    { name: "Bench" },
    owner.accessToken,
  );
  const { code } = await postJson<{ code: string }>(
    baseUrl,
    `/api/communities/${community.id}/invites`,
    {},
    owner.accessToken,
  );
  for (const account of accounts.slice(1)) {
    await postJson(baseUrl, "/api/community-invites/accept", { code }, account.accessToken);
  }
  const createChannel = async (name: string) =>
    (
      await postJson<{ channel: { id: string } }>(
        baseUrl,
        `/api/communities/${community.id}/channels`,
        { name },
        owner.accessToken,
      )
    ).channel.id;
  const channels: string[] = [];
  for (let index = 0; index < options.channels; index++) channels.push(await createChannel(`bench-${index}`));
  const latencyChannel = await createChannel("bench-latency");
  const channelIndex = new Map(channels.map((id, index) => [id, index]));

  return {
    name: "chatalot",
    accounts: accounts.length,
    channels,
    latencyChannel,
    async socketUrl(channel, member) {
      // Spread sockets over the accounts so no channel has one user twice unless members > users.
      const slot = (channelIndex.get(channel) ?? 0) * options.members + member;
      const account = accounts[slot % accounts.length]!;
      const { ticket } = await postJson<{ ticket: string }>(
        baseUrl,
        `/api/channels/${channel}/socket-ticket`,
        undefined,
        account.accessToken,
      );
      const url = new URL(`/api/channels/${channel}/socket`, baseUrl);
      url.protocol = "ws:";
      url.searchParams.set("ticket", ticket);
      return url.toString();
    },
  };
}

async function postJson<T>(baseUrl: string, path: string, body: unknown, accessToken?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const response = await fetch(new URL(path, baseUrl), {
    method: "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok)
    throw new HttpError(response.status, `POST ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

class HttpError extends Error {
  override name = "HttpError";
  status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}
