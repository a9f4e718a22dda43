/**
 * Chatalot as a bench target: the admin account, channels in communities, then the
 * other accounts (registered in the background, account-pool.ts), and a socket ticket
 * per connection through the public HTTP API (chatalot-api.ts). Tickets live 60 s,
 * so each is asked for just before its socket is dialled.
 */
import { socketProtocols } from "../protocol/index.ts";
import { AccountPool } from "./account-pool.ts";
import { ChatalotApi, type Account } from "./chatalot-api.ts";
import type { Dial, Target } from "./target.ts";

/**
 * Sockets per account. The server closes an account's socket past SOCKETS_PER_USER
 * (default 32; workerd/chatalot.capnp does not pass that variable through, so the
 * default holds) with 4029. Two spare: a closed socket's count drops only once its
 * room has run the close hook.
 */
export const SOCKETS_PER_ACCOUNT = 30;

export interface Chatalot {
  api: ChatalotApi;
  /** The admin, who owns the communities. */
  owner: Account;
  accounts: AccountPool;
  target: Target;
}

/** Creates the channels, and starts registering enough accounts for `sockets` open at once. */
export async function prepareChatalot(
  baseUrl: string,
  options: { sockets: number; channels: number; minimumAccounts?: number },
): Promise<Chatalot> {
  const api = new ChatalotApi(baseUrl);
  const owner = await api.register(0);
  const { channels, invites } = await api.createChannels(owner, "bench", options.channels + 1);
  const latencyChannel = channels.pop()!;
  const count = Math.max(options.minimumAccounts ?? 1, Math.ceil(options.sockets / SOCKETS_PER_ACCOUNT));
  const accounts = new AccountPool(count, SOCKETS_PER_ACCOUNT, owner, async (index) => {
    const account = await api.register(index);
    await api.join(account, invites);
    return account;
  });
  const target: Target = {
    name: "chatalot",
    channels,
    latencyChannel,
    dial: async (channel, slot) => dialChatalot(api, await accounts.accountFor(slot), channel),
  };
  return { api, owner, accounts, target };
}

export async function dialChatalot(api: ChatalotApi, account: Account, channel: string): Promise<Dial> {
  const { ticket } = await api.request<{ ticket: string }>("POST", `/api/channels/${channel}/socket-ticket`, {
    account,
    route: "ticket",
  });
  const url = new URL(`/api/channels/${channel}/socket`, api.baseUrl);
  url.protocol = "ws:";
  return { url: url.toString(), headers: api.addresses.headersFor("upgrade"), protocols: socketProtocols(ticket) };
}
