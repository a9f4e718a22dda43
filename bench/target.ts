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
  /** A ready-to-dial WebSocket URL for member `member` of `channel`. */
  socketUrl(channel: string, member: number): Promise<string>;
}
