/**
 * Starts reference-room.capnp in its own workerd (the same binary as Chatalot's) and
 * wraps it as a Target: the idle scenario's measure of what workerd itself needs per
 * hibernated socket, with nothing of Chatalot's on top.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../test/support/database.ts";
import { root } from "../test/support/server.ts";
import type { Target } from "./target.ts";

const START_TIMEOUT_MS = 15_000;

export interface ReferenceRoom {
  target: Target;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startReferenceRoom(channels: number): Promise<ReferenceRoom> {
  const port = await freePort();
  const storage = mkdtempSync(join(tmpdir(), "chatalot-bench-reference-room-"));
  const child = spawn(
    join(root, "node_modules", ".bin", "workerd"),
    [
      "serve",
      join(import.meta.dirname, "reference-room.capnp"),
      ...["--socket-addr", `http=127.0.0.1:${port}`, "--directory-path", `storage=${storage}`],
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitUntilListening(port, child, () => output);
  return {
    process: child,
    target: {
      name: "reference room",
      channels: Array.from({ length: channels }, (_, index) => `/room-${index}`),
      latencyChannel: "/room-latency",
      dial: async (channel) => ({ url: `ws://127.0.0.1:${port}${channel}`, headers: {} }),
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // Like Chatalot's workerd, it drains on SIGTERM while sockets are open: no grace needed here.
        child.kill("SIGKILL");
        await exited;
      }
      rmSync(storage, { recursive: true, force: true });
    },
  };
}

async function waitUntilListening(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = performance.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the reference room's workerd exited: ${output()}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
      return; // any answer (a 500 for a non-upgrade request) means it listens
    } catch {
      if (performance.now() > deadline) throw new Error(`the reference room did not start: ${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
