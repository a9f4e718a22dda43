/**
 * Starts a real coturn the way docker-compose.yml's turn profile does: its start script
 * (scripts/turn-relay.sh) with the compose file's own flags, on loopback ports of its
 * own, so a test exercises the shipped configuration rather than a copy of it.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./database.ts";
import { root } from "./server.ts";

const INSTALL_HINT =
  "coturn is not installed, and this test runs a real TURN relay. Install it with " +
  "`apt-get install coturn` (Debian/Ubuntu), then run the tests again.";
/** Relay ports for one test relay; coturn skips any that are taken. */
const RELAY_PORTS = 40;

export interface RunningRelay {
  port: number;
  minPort: number;
  maxPort: number;
  /** Everything coturn printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The turn service's `command:` flags from docker-compose.yml, with `${NAME:-default}`
 * read as its default: the same list Compose hands the script.
 */
export function composeTurnFlags(): string[] {
  const compose = readFileSync(join(root, "docker-compose.yml"), "utf8");
  const service = compose.slice(compose.indexOf("\n  turn:\n"));
  const commandBlock = service.slice(service.indexOf("\n    command:\n") + "\n    command:\n".length);
  const flags: string[] = [];
  for (const line of commandBlock.split("\n")) {
    if (/^\s{6}#/.test(line)) continue;
    const match = /^\s{6}- "?(--[^"]*)"?$/.exec(line);
    if (!match) break;
    flags.push(match[1]!.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, "$1"));
  }
  if (!flags.includes("--use-auth-secret"))
    throw new Error("could not read the turn service's flags from docker-compose.yml");
  return flags;
}

/**
 * Runs scripts/turn-relay.sh with the compose flags, then flags that move it onto
 * loopback and this test's ports (coturn takes the last of a repeated setting), plus
 * `extraFlags`.
 */
export async function startTurnRelay(options: {
  secretFile: string;
  extraFlags?: string[];
  env?: Record<string, string>;
}): Promise<RunningRelay> {
  if (spawnSync("turnserver", ["--version"]).error) throw new Error(INSTALL_HINT);
  const port = await freePort();
  const minPort = 40_000 + Math.floor(Math.random() * 500) * RELAY_PORTS;
  const maxPort = minPort + RELAY_PORTS - 1;
  const state = mkdtempSync(join(tmpdir(), "chatalot-turn-"));
  const child = spawn(
    "sh",
    [
      join(root, "scripts", "turn-relay.sh"),
      ...composeTurnFlags(),
      "--listening-ip=127.0.0.1",
      "--relay-ip=127.0.0.1",
      `--listening-port=${port}`,
      `--min-port=${minPort}`,
      `--max-port=${maxPort}`,
      `--pidfile=${join(state, "turnserver.pid")}`,
      `--userdb=${join(state, "turndb")}`,
      ...(options.extraFlags ?? []),
    ],
    {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TURN_SECRET_FILE: options.secretFile,
        TURN_STATE_DIR: state,
        TURN_REALM: "chatalot.test",
        TURN_EXTERNAL_IP: "127.0.0.1",
        TURN_MIN_PORT: String(minPort),
        TURN_MAX_PORT: String(maxPort),
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const relay: RunningRelay = {
    port,
    minPort,
    maxPort,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
  // coturn logs this once its relay sockets are open; before it, allocations fail.
  const deadline = Date.now() + 15_000;
  while (!output.includes("Total General servers")) {
    if (child.exitCode !== null) throw new Error(`turnserver exited:\n${output}`);
    if (Date.now() > deadline) {
      await relay.stop();
      throw new Error(`turnserver did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return relay;
}
