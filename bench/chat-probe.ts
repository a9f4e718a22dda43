/**
 * Chat latency while something else loads the server: one channel socket sends a
 * small message, waits for its ack, pauses, and again. Used by the benches that
 * measure what another load (sign-ins, floods) costs the people chatting.
 */
import WebSocket from "ws";
import { socketProtocols, unpackFrames, type ServerFrame } from "../protocol/index.ts";
import { summarize, type Summary } from "./stats.ts";

export interface ChatProbe {
  /** Send→ack round trips for `ms`, `pauseMs` apart. */
  measure(ms: number, pauseMs?: number): Promise<Summary>;
  close(): void;
}

/** Opens `channelId`'s socket with `ticket` on the server at `url`. */
export async function openChatProbe(url: string, channelId: string, ticket: string): Promise<ChatProbe> {
  const socket = new WebSocket(
    `${url.replace("http", "ws")}/api/channels/${channelId}/socket`,
    socketProtocols(ticket),
  );
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let sequence = 0;
  const roundTrip = () =>
    new Promise<number>((resolve, reject) => {
      const clientId = `probe-${sequence++}`.padEnd(8, "0");
      const started = performance.now();
      const onMessage = (data: WebSocket.RawData) => {
        const frames = unpackFrames(JSON.parse(String(data)) as ServerFrame);
        // A refused probe would otherwise be waited for forever.
        const refused = frames.find((frame) => frame.type === "error");
        if (refused) {
          socket.off("message", onMessage);
          reject(new Error(`the server refused a probe: ${JSON.stringify(refused)}`));
        }
        if (frames.some((frame) => frame.type === "ack" && frame.clientId === clientId)) {
          socket.off("message", onMessage);
          resolve(performance.now() - started);
        }
      };
      socket.on("message", onMessage);
      socket.send(JSON.stringify({ type: "send", clientId, payload: "cHJvYmU=" }));
    });
  return {
    async measure(ms, pauseMs = 10) {
      const samples: number[] = [];
      const end = Date.now() + ms;
      while (Date.now() < end) {
        samples.push(await roundTrip());
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
      return summarize(samples);
    },
    close: () => socket.close(),
  };
}
