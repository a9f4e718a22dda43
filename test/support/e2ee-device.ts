/**
 * A simulated end-to-end encrypting device for Node tests: the web app's own device
 * (e2ee/'s `E2eeDevice`) talking to the real server through the public API,
 * plus what a test needs around it: an account, a channel socket to send with, and
 * reads that throw when a message cannot be read.
 */
import type { CiphersuiteImpl } from "ts-mls";
import WebSocket from "ws";
import {
  socketProtocols,
  HISTORY_SHARE_CLIENT_ID_PREFIX,
  unpackFrames,
  type MessageView,
  type ServerFrame,
} from "../../protocol/index.ts";
import {
  accountKeysFrom,
  E2eeDevice,
  fetchBackup,
  newBackupWriter,
  newRecoveryKey,
  restoreInto,
  storeBackup,
  unlockNewestBackup,
  wrapWithPassphrase,
  type DeviceTransport,
  type MessageContent,
  type Method,
} from "../../e2ee/index.ts";
import { call, type Account } from "./accounts.ts";
import type { RunningServer } from "./server.ts";

class RequestFailed extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, text: string) {
    super(`${status} ${text}`);
    this.status = status;
    this.code = code;
  }
}

/** The device's view of the network: requests whose path matches `unreachable` get no answer. */
export interface Network {
  unreachable: RegExp | null;
}

function transportFor(
  server: RunningServer,
  account: Account,
  network: Network = { unreachable: null },
): DeviceTransport {
  return {
    async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
      // What Node's fetch throws when nothing answers.
      if (network.unreachable?.test(path)) throw new TypeError("fetch failed");
      const response = await call(server, path, { method, token: account.token, body });
      if (response.status >= 300) {
        throw new RequestFailed(response.status, response.body?.error?.code ?? "unexpected", response.text);
      }
      return response.body as T;
    },
  };
}

export class SimulatedDevice extends E2eeDevice {
  server!: RunningServer;
  account!: Account;
  /** Cut parts of the network off for this device (the test's own outer edge). */
  network: Network = { unreachable: null };

  /** Sets the account key (once per account), registers this session as a device, uploads KeyPackages. */
  static async setUp(
    server: RunningServer,
    account: Account,
    cipherSuite: CiphersuiteImpl,
    options: { accountKeys?: CryptoKeyPair; keyPackages?: number } = {},
  ): Promise<SimulatedDevice> {
    const network: Network = { unreachable: null };
    const device = await SimulatedDevice.register(
      transportFor(server, account, network),
      cipherSuite,
      { userId: account.id, deviceId: account.sessionId },
      options,
    );
    device.server = server;
    device.account = account;
    device.network = network;
    return device;
  }

  /**
   * A new device of an account that has a backup: opens it with the recovery key (or
   * the passphrase), takes the account key from it to cross-sign itself, and restores
   * trust and every history key.
   */
  static async restore(
    server: RunningServer,
    account: Account,
    cipherSuite: CiphersuiteImpl,
    secret: { recoveryKey: Uint8Array } | { passphrase: string },
  ): Promise<SimulatedDevice> {
    const unlocked = await unlockNewestBackup(transportFor(server, account), secret);
    if (!unlocked) throw new Error("no backup");
    const { content, recoveryKey } = unlocked;
    const device = await SimulatedDevice.setUp(server, account, cipherSuite, {
      accountKeys: await accountKeysFrom(content, recoveryKey),
    });
    restoreInto(device, content);
    return device;
  }

  async api<T = any>(method: Method, path: string, body?: unknown, expected: number[] = [200, 201, 204]): Promise<T> {
    const response = await call(this.server, path, { method, token: this.account.token, body });
    if (!expected.includes(response.status)) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
    return response.body as T;
  }

  /**
   * Seals this device's keys into the account's backup (on top of the stored version),
   * confirming the account's password as a new recovery key or passphrase needs.
   */
  async backUp(recoveryKey: Uint8Array = newRecoveryKey(), passphrase?: string): Promise<number> {
    const stored = await fetchBackup(this.transport);
    const passphraseWrap = passphrase ? await wrapWithPassphrase(recoveryKey, passphrase) : null;
    const writer = await newBackupWriter(recoveryKey, this.accountKeys, passphraseWrap);
    return storeBackup(this.transport, this, writer, stored?.version ?? 0, { password: this.account.password });
  }

  /**
   * The message as sealed for the channel (a `send` frame's payload), after processing every
   * commit this device missed: sealed in an epoch the group has left, a message would be
   * readable by whoever was removed since.
   */
  override async seal(channelId: string, text: string | MessageContent): Promise<string> {
    await this.catchUp(channelId);
    return super.seal(channelId, typeof text === "string" ? { kind: "text", text } : text);
  }

  /** Commits the pending changes; sends the history keys newcomers may read. Returns whether it committed. */
  async commitPending(channelId: string): Promise<boolean> {
    const { committed, historyShares } = await this.applyPending(channelId);
    for (const share of historyShares) await this.send(channelId, share);
    return committed;
  }

  /** Sends one message through a channel socket and waits for its acknowledgement. */
  async send(channelId: string, content: MessageContent): Promise<void> {
    const socket = await this.connect(channelId);
    const prefix = content.kind === "history-keys" ? HISTORY_SHARE_CLIENT_ID_PREFIX : "e2ee";
    const clientId = `${prefix}${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
    socket.socket.send(JSON.stringify({ type: "send", clientId, payload: await this.seal(channelId, content) }));
    await socket.next("ack", (frame) => frame.clientId === clientId);
    socket.close();
  }

  /** Shares every earlier history key in the current epoch (for newcomers who may read from the start). */
  async shareHistory(channelId: string): Promise<void> {
    await this.send(channelId, this.historyShare(channelId));
  }

  /** Reads a stored or relayed message; throws with the reason when it cannot. */
  async read(message: MessageView): Promise<string> {
    const opened = await this.open(message);
    if (!opened.ok) throw new Error(opened.reason);
    if (opened.content.kind === "text") return opened.content.text;
    if (opened.content.kind === "call") return `(a call: ${opened.content.outcome})`;
    return `(history keys for ${Object.keys(opened.content.keys).length} epochs)`;
  }

  /** A channel socket that collects frames, with a wait for the next frame matching a test. */
  async connect(channelId: string) {
    const { ticket } = await this.api<{ ticket: string }>("POST", `/api/channels/${channelId}/socket-ticket`);
    const socket = new WebSocket(
      `${this.server.url.replace("http", "ws")}/api/channels/${channelId}/socket`,
      socketProtocols(ticket),
    );
    const frames: ServerFrame[] = [];
    socket.on("message", (data) => frames.push(...unpackFrames(JSON.parse(String(data)) as ServerFrame)));
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    const next = async <T extends ServerFrame["type"]>(
      type: T,
      test: (frame: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    ) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const index = frames.findIndex(
          (frame) => frame.type === type && test(frame as Extract<ServerFrame, { type: T }>),
        );
        if (index >= 0) return frames.splice(index, 1)[0] as Extract<ServerFrame, { type: T }>;
        if (Date.now() > deadline) throw new Error(`no ${type} frame; got ${JSON.stringify(frames).slice(0, 500)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await next("welcome");
    return { socket, frames, next, close: () => socket.close() };
  }
}
