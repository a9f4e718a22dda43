/**
 * A Chatalot deployment made the README's way, for the container tests: a scratch directory
 * with docker-compose.yml, scripts/, a .env from .env.example, secrets from
 * scripts/generate-secrets.sh and data/uploads owned by uid 10001, then `docker compose up -d`
 * (docker-compose 1.29 over podman's socket) with the prebuilt chatalot:local image.
 *
 * Without systemd podman never runs HEALTHCHECKs by itself, so a stack runs them itself
 * (`podman healthcheck run` every second) for as long as it is up, as Docker's daemon would;
 * `depends_on: service_healthy` and "unhealthy" both rest on it.
 *
 * Operator scripts (scripts/backup.sh and the like) call `docker compose` or `docker`: run
 * them with `env: COMPOSE_ENV` and cwd `stack.dir`. COMPOSE_ENV puts bin/ first on PATH, with
 * two TEST-ONLY shims: `docker` (`docker compose ...` -> docker-compose ..., any other
 * `docker ...` -> podman ...) and `docker-compose` (compose 1.29 minus its false alarm about
 * podman's networks, see the file), and points DOCKER_HOST and podman's configuration at this run's.
 */
import { copyFileSync, chownSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { createSocket } from "node:dgram";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { PODMAN_ENV, SHIM_DIR, run, type RunOptions, type RunResult } from "./podman.ts";

export type { RunResult } from "./podman.ts";

const repositoryRoot = join(import.meta.dirname, "..", "..");
const CONTAINER_UID = 10001;
const HEALTH_DRIVE_INTERVAL_MS = 1_000;

/** The environment for docker-compose, podman and operator scripts run against a stack. */
export const COMPOSE_ENV: Record<string, string> = {
  ...(process.env as Record<string, string>),
  ...PODMAN_ENV,
  PATH: `${SHIM_DIR}:${process.env.PATH}`,
  DOCKER_HOST: `unix://${inject("podmanSocket")}`,
  // docker-compose 1.29's default of 60 s is short for a busy two-core machine.
  COMPOSE_HTTP_TIMEOUT: "300",
};

export interface StackOptions {
  /** Lines of .env to set (added, or replacing .env.example's). */
  env?: Record<string, string>;
  /** Compose profiles to start as well (`--profile turn`). */
  profiles?: string[];
}

export interface Stack {
  /** The deployment directory: docker-compose.yml, .env, secrets/, data/uploads, scripts/. */
  dir: string;
  /** The compose project name (also the directory's name, so `docker compose` in dir finds it). */
  project: string;
  /** The server's published address, http://127.0.0.1:<HTTP_PORT>. */
  url: string;
  /** docker-compose with these arguments in dir (with the stack's profiles); never throws. */
  compose(args: string[], options?: RunOptions): Promise<RunResult>;
  /** podman with this run's configuration; never throws. */
  podman(args: string[], options?: RunOptions): Promise<RunResult>;
  /** GET /health now: the status (0 when nothing answers) and the parsed body. */
  health(): Promise<{ status: number; body: any }>;
  /** compose down -v (every profile), then the directory removed. */
  down(): Promise<void>;
}

export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function isUdpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    socket.once("error", () => resolve(false));
    socket.bind(port, "0.0.0.0", () => socket.close(() => resolve(true)));
  });
}

/** A small relay range (and its listening port) clear of other tests' and stacks' relays. */
async function freeTurnPorts(): Promise<{ port: number; min: number; max: number }> {
  for (;;) {
    const port = await freeTcpPort();
    const min = 40_000 + Math.floor(Math.random() * 20_000);
    const ports = [port, min, min + 1, min + 2, min + 3];
    const free = await Promise.all(ports.map(isUdpPortFree));
    if (free.every(Boolean)) return { port, min, max: min + 3 };
  }
}

/** A /24 for the frontend network that no podman network of this machine uses yet. */
async function freeSubnet(): Promise<string> {
  const used = (await run("podman", ["network", "ls", "--format", "{{range .Subnets}}{{.Subnet}} {{end}}"])).stdout;
  for (;;) {
    const subnet = `172.30.${81 + Math.floor(Math.random() * 170)}.0/24`;
    if (!used.includes(subnet)) return subnet;
  }
}

/** .env.example with `changes` applied: each key's line replaced, new keys appended. */
function envFile(changes: Record<string, string>): string {
  const lines = readFileSync(join(repositoryRoot, ".env.example"), "utf8").split("\n");
  const remaining = new Map(Object.entries(changes));
  const changed = lines.map((line) => {
    const key = /^([A-Z0-9_]+)=/.exec(line)?.[1];
    if (!key || !remaining.has(key)) return line;
    const value = remaining.get(key)!;
    remaining.delete(key);
    return `${key}=${value}`;
  });
  return [...changed, ...[...remaining].map(([key, value]) => `${key}=${value}`), ""].join("\n");
}

/** Runs every health check of the project's running containers, once. */
async function runHealthChecks(project: string, checked: Map<string, boolean>): Promise<void> {
  const ids = await run("podman", [
    "ps",
    "-q",
    "--no-trunc",
    "--filter",
    `label=com.docker.compose.project=${project}`,
  ]);
  for (const id of ids.stdout.split("\n").filter(Boolean)) {
    if (!checked.has(id)) {
      const test = await run("podman", ["inspect", "--format", "{{.Config.Healthcheck}}", id]);
      checked.set(id, test.code === 0 && !/^(<nil>|)\s*$/.test(test.stdout));
    }
    if (checked.get(id)) await run("podman", ["healthcheck", "run", id]);
  }
}

async function healthOf(url: string): Promise<{ status: number; body: any }> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      return { status: response.status, body: text };
    }
  } catch {
    return { status: 0, body: undefined };
  }
}

export async function startStack(name: string, options: StackOptions = {}): Promise<Stack> {
  const project = `ct${name.toLowerCase().replace(/[^a-z0-9]/g, "")}${Math.random().toString(16).slice(2, 8)}`;
  const dir = join(mkdtempSync(join(tmpdir(), "chatalot-stack-")), project);
  mkdirSync(join(dir, "data", "uploads"), { recursive: true });
  chownSync(join(dir, "data", "uploads"), CONTAINER_UID, CONTAINER_UID);
  copyFileSync(join(repositoryRoot, "docker-compose.yml"), join(dir, "docker-compose.yml"));
  cpSync(join(repositoryRoot, "scripts"), join(dir, "scripts"), { recursive: true });
  const secrets = await run("scripts/generate-secrets.sh", [], {
    cwd: dir,
    env: { CHATALOT_UID: String(CONTAINER_UID), SECRETS_DIR: join(dir, "secrets") },
  });
  if (secrets.code !== 0) throw new Error(`generate-secrets.sh: ${secrets.stderr}`);

  const port = await freeTcpPort();
  const subnet = await freeSubnet();
  const turn = await freeTurnPorts();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, ".env"),
    envFile({
      PUBLIC_URL: url,
      HTTP_PORT: String(port),
      FRONTEND_SUBNET: subnet,
      TRUSTED_PROXIES: subnet.replace(/0\/24$/, "1"),
      TURN_PORT: String(turn.port),
      TURN_MIN_PORT: String(turn.min),
      TURN_MAX_PORT: String(turn.max),
      ...options.env,
    }),
  );

  const profileFlags = (profiles: string[]) => profiles.flatMap((profile) => ["--profile", profile]);
  const compose = (args: string[], runOptions: RunOptions = {}) =>
    run("docker-compose", [...profileFlags(options.profiles ?? []), ...args], {
      ...runOptions,
      cwd: dir,
      env: { ...COMPOSE_ENV, ...runOptions.env },
    });
  const podman = (args: string[], runOptions: RunOptions = {}) => run("podman", args, runOptions);

  // Docker's daemon runs health checks on a timer; here a loop does, until down().
  const checked = new Map<string, boolean>();
  let isDriving = true;
  const driving = (async () => {
    while (isDriving) {
      await runHealthChecks(project, checked).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, HEALTH_DRIVE_INTERVAL_MS));
    }
  })();

  const stack: Stack = {
    dir,
    project,
    url,
    compose,
    podman,
    health: () => healthOf(url),
    async down() {
      isDriving = false;
      await driving;
      const all = await run("docker-compose", ["config", "--profiles"], { cwd: dir, env: COMPOSE_ENV });
      const everyProfile = all.stdout.split("\n").filter(Boolean);
      await run("docker-compose", [...profileFlags(everyProfile), "down", "-v", "--remove-orphans", "-t", "5"], {
        cwd: dir,
        env: COMPOSE_ENV,
      });
      rmSync(join(dir, ".."), { recursive: true, force: true });
    },
  };

  const up = await compose(["up", "-d"], { timeoutMs: 300_000 });
  if (up.code !== 0) {
    await stack.down();
    throw new Error(`docker compose up -d exited ${up.code}:\n${up.stderr}`);
  }
  const deadline = Date.now() + 180_000;
  for (;;) {
    const health = await stack.health();
    if (health.status === 200 && health.body?.status === "ok") return stack;
    if (Date.now() > deadline) {
      const logs = await compose(["logs", "--no-color", "--tail", "40"]);
      await stack.down();
      throw new Error(`${project} never answered /health ok (last: ${health.status}):\n${logs.stdout}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
