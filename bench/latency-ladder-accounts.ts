/**
 * The account sockets of the latency ladder: each client holds one beside its channel
 * socket, as a signed-in page does (web/src/models/events-socket.ts), so presence and
 * the activity frames behind unread badges are part of the measured cost. Frames are
 * only counted: what they say is the unread bench's business (bench/unread.ts).
 */
import { WebSocket } from "ws";
import { socketProtocols } from "../protocol/index.ts";
import type { Account, ChatalotApi } from "./chatalot-api.ts";

const HELLO_TIMEOUT_MS = 15_000;
const CLOSE_TIMEOUT_MS = 10_000;

export class AccountSockets {
  readonly sockets: WebSocket[] = [];
  frames = 0;
  /** Sockets closed by the server, and error frames: both should stay 0. */
  errors = 0;
  #isClosing = false;

  /** Opens one account socket for each account given (an account may appear many times). */
  static async open(api: ChatalotApi, accounts: Promise<Account>[], concurrency: number): Promise<AccountSockets> {
    const opened = new AccountSockets();
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < accounts.length; index = next++) {
        opened.sockets[index] = await opened.#open(api, await accounts[index]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, accounts.length) }, worker));
    return opened;
  }

  async close(): Promise<void> {
    this.#isClosing = true;
    const closed = this.sockets.map((socket) =>
      socket.readyState === WebSocket.CLOSED
        ? Promise.resolve()
        : new Promise((resolve) => socket.once("close", resolve)),
    );
    for (const socket of this.sockets) socket.close(1000);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(closed),
      new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
  }

  async #open(api: ChatalotApi, account: Account): Promise<WebSocket> {
    const { ticket } = await api.request<{ ticket: string }>("POST", "/api/events/socket-ticket", {
      account,
      route: "eventsTicket",
    });
    const url = new URL("/api/events/socket", api.baseUrl);
    url.protocol = "ws:";
    const socket = new WebSocket(url, socketProtocols(ticket), {
      perMessageDeflate: false,
      headers: api.addresses.headersFor("eventsUpgrade"),
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no hello within ${HELLO_TIMEOUT_MS} ms`)), HELLO_TIMEOUT_MS);
      socket.on("message", (data) => {
        this.frames++;
        const type = (JSON.parse(String(data)) as { type?: string }).type;
        if (type === "error") this.errors++;
        if (type !== "hello") return;
        clearTimeout(timer);
        resolve(socket);
      });
      socket.on("error", reject);
      socket.on("close", (code, reason) => {
        if (this.#isClosing) return;
        this.errors++;
        reject(new Error(`the account socket closed: ${code} ${String(reason)}`));
      });
    });
  }
}
