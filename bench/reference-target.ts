/** Starts bench/reference-server.ts in a child Node process and wraps it as a Target. */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { Target } from "./target.ts";

const START_TIMEOUT_MS = 10_000;

export interface ReferenceServer {
  target: Target;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startReference(channels: number): Promise<ReferenceServer> {
  const child = spawn(process.execPath, [join(import.meta.dirname, "reference-server.ts")], {
    // An IPC channel only so the child notices if we die without cleaning up.
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the reference server did not start: ${output}`)),
      START_TIMEOUT_MS,
    );
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      const match = /listening (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    void exited.then(() => reject(new Error(`the reference server exited: ${output}`)));
  });
  const base = `ws://127.0.0.1:${port}`;
  return {
    process: child,
    target: {
      name: "reference",
      channels: Array.from({ length: channels }, (_, index) => `/room-${index}`),
      latencyChannel: "/room-latency",
      dial: async (channel) => ({ url: `${base}${channel}`, headers: {} }),
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}
