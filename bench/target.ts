/**
 * What the load generator drives: a server with channels it can open member sockets
 * on. Chatalot and the reference broadcast server both speak Chatalot's socket frames.
 */

export interface Target {
  name: string;
  /** Channel keys for the fan-out topology (Chatalot: channel ids; reference: room paths). */
  channels: string[];
  /** A channel of its own for the single-sender latency scenario. */
  latencyChannel: string;
  /**
   * A ready-to-dial WebSocket URL, and the headers of the upgrade request, for socket
   * number `slot` (unique within a session; Chatalot picks the account from it).
   */
  dial(channel: string, slot: number): Promise<Dial>;
}

export interface Dial {
  url: string;
  headers: Record<string, string>;
  /** WebSocket subprotocols to offer: Chatalot's socket ticket travels in one. */
  protocols?: string[];
}
