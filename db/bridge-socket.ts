/**
 * A WebSocket-shaped object for the Neon driver that opens its socket through a
 * service binding (the PostgreSQL bridge) instead of the network. The driver
 * constructs sockets synchronously, so the upgrade happens in the background and
 * events are forwarded once it completes.
 */

type Listener = (event: unknown) => void;

export function bridgeSocketClass(bridge: Fetcher) {
  return class BridgeSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSED = 3;

    binaryType = "arraybuffer";
    readyState = BridgeSocket.CONNECTING;
    #socket: WebSocket | undefined;
    #listeners = new Map<string, Listener[]>();
    #pending: unknown[] = [];

    constructor(url: string) {
      const httpUrl = url.replace(/^ws/, "http");
      bridge
        .fetch(httpUrl, { headers: { Upgrade: "websocket" } })
        .then((response) => {
          const socket = response.webSocket;
          if (!socket) throw new Error(`bridge refused the upgrade (HTTP ${response.status})`);
          socket.binaryType = "arraybuffer";
          socket.accept();
          this.#socket = socket;
          socket.addEventListener("message", (event) => this.#emit("message", event));
          socket.addEventListener("close", (event) => this.#closed(event));
          // workerd reports the bridge ending the pipe (as it does after a pooled connection's
          // Terminate) as "Network connection lost". To the driver that is a reset: named so,
          // it ignores it on a connection it is closing and reports it on any other.
          socket.addEventListener("error", (event) => this.#emit("error", asReset(event)));
          this.readyState = BridgeSocket.OPEN;
          for (const data of this.#pending.splice(0)) socket.send(data as ArrayBuffer);
          this.#emit("open", {});
        })
        .catch((error: unknown) => {
          this.#emit("error", { error, message: String(error) });
          this.#closed({ code: 1006, reason: "bridge unreachable" });
        });
    }

    addEventListener(type: string, listener: Listener): void {
      this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
    }

    send(data: unknown): void {
      if (this.#socket) this.#socket.send(data as ArrayBuffer);
      else this.#pending.push(data);
    }

    close(code?: number, reason?: string): void {
      this.#socket?.close(code ?? 1000, reason);
      this.#closed({ code: code ?? 1000, reason: reason ?? "" });
    }

    #closed(event: unknown): void {
      if (this.readyState === BridgeSocket.CLOSED) return;
      this.readyState = BridgeSocket.CLOSED;
      this.#emit("close", event);
    }

    #emit(type: string, event: unknown): void {
      for (const listener of this.#listeners.get(type) ?? []) listener.call(this, event);
    }
  };
}

/** The error event as the driver's socket errors look (Node's ECONNRESET), its message kept. */
function asReset(event: Event): Error & { code: string } {
  const message = (event as ErrorEvent).message || "the connection to the PostgreSQL bridge was lost";
  return Object.assign(new Error(message), { code: "ECONNRESET" });
}
