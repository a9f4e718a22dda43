/**
 * What every part of the calls bench shares: the production server on a fresh
 * database (bench-server.ts, which lifts SOCKET_FRAMES_PER_SECOND), the admin, one
 * community with a voice channel, and people registered and joined through the
 * public HTTP API, each request from an address of its own (client-addresses.ts).
 */
import { startBenchServer, type BenchServer } from "../bench-server.ts";
import { ChatalotApi, type Account } from "../chatalot-api.ts";

export const CALL_PASSWORD = "bench-password-not-secret";
export const COMMUNITY_NAME = "Calls";
export const VOICE_CHANNEL_NAME = "lounge";

export interface CallWorld {
  bench: BenchServer;
  api: ChatalotApi;
  owner: Account;
  voiceChannelId: string;
  /** Registers `count` people named `<prefix>-<n>` who join the community (a few at a time). */
  people(prefix: string, count: number): Promise<(Account & { username: string })[]>;
}

export async function startCallWorld(): Promise<CallWorld> {
  const bench = await startBenchServer("calls", { poolSize: 4 });
  const api = new ChatalotApi(bench.server.url);
  const owner = await api.register(0);
  const { community } = await api.request<{ community: { id: string } }>("POST", "/api/communities", {
    body: { name: COMMUNITY_NAME },
    account: owner,
  });
  const path = `/api/communities/${community.id}`;
  const { channel } = await api.request<{ channel: { id: string } }>("POST", `${path}/channels`, {
    body: { name: VOICE_CHANNEL_NAME, kind: "voice" },
    account: owner,
  });
  const { code } = await api.request<{ code: string }>("POST", `${path}/invites`, { body: {}, account: owner });
  return {
    bench,
    api,
    owner,
    voiceChannelId: channel.id,
    async people(prefix, count) {
      // Registration hashes a password (~0.3 s); a few at once keep the hasher busy without a queue.
      return Promise.all(
        Array.from({ length: count }, async (_, index) => {
          const username = `${prefix}-${index + 1}`;
          const session = await api.request<{ accessToken: string; user: { id: string } }>(
            "POST",
            "/api/auth/register",
            { body: { username, password: CALL_PASSWORD }, route: "register" },
          );
          const account = { userId: session.user.id, accessToken: session.accessToken, username };
          await api.join(account, [code]);
          return account;
        }),
      );
    },
  };
}
