/**
 * Starts Chatalot the way production does: scripts/serve.sh with workerd and
 * workerd/chatalot.capnp, natively, on a free port. Needs `npm run build` first
 * (npm test does it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./database.ts";
import { TEST_TOTP_KEY, testKeys } from "./keys.ts";
import { writeFileSync } from "node:fs";

export const root = join(import.meta.dirname, "..", "..");

export interface RunningServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the entrypoint and workerd printed so far. */
  output(): string;
  /** Resolves with the exit code once the process ends. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  databaseUrl: string;
  /** Extra or overriding environment variables; `undefined` removes one. */
  env?: Record<string, string | undefined>;
  /** Wait for "ready" (default) or return as soon as the process runs. */
  waitForReady?: boolean;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  if (!existsSync(join(root, "dist", "worker", "index.js")) || !existsSync(join(root, "web", "dist", "index.html"))) {
    throw new Error("the server is not built: run `npm run build` (npm test does it for you)");
  }
  const port = await freePort();
  const secrets = mkdtempSync(join(tmpdir(), "chatalot-secrets-"));
  const keys = testKeys();
  writeFileSync(join(secrets, "jwt_private.pem"), keys.privateKey, { mode: 0o600 });
  writeFileSync(join(secrets, "jwt_public.pem"), keys.publicKey);
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ADMIN_USERNAME: "admin",
    REGISTRATION_MODE: "open",
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_SIZE: "4",
    JWT_PRIVATE_KEY_FILE: join(secrets, "jwt_private.pem"),
    JWT_PUBLIC_KEY_FILES: join(secrets, "jwt_public.pem"),
    TOTP_ENCRYPTION_KEY: TEST_TOTP_KEY,
    WORKERD: join(root, "node_modules", ".bin", "workerd"),
    LISTEN: `127.0.0.1:${port}`,
    ROOM_STORAGE_DIR: mkdtempSync(join(tmpdir(), "chatalot-rooms-")),
    // Each server its own upload directory (docs/files.md), as each has its own rooms.
    UPLOAD_DIR: mkdtempSync(join(tmpdir(), "chatalot-uploads-")),
    WEB_ROOT: join(root, "web", "dist"),
    STARTUP_TIMEOUT_SECS: "60",
    // Tests register and sign in several people side by side, all new to their accounts;
    // test/node/sign-in-flood.test.ts sets its own limit to test the gate.
    PASSWORD_CHECKS_QUEUED_MAX: "64",
    // Profiling only (bench/cpu-profile.ts): workerd's inspector for the server process.
    INSPECTOR_ADDR: process.env.INSPECTOR_ADDR,
    ...options.env,
  };
  const child = spawn(join(root, "scripts", "serve.sh"), [], {
    env: Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)) as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so stop() also ends workerd
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const server: RunningServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        return;
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
    },
  };
  if (options.waitForReady === false) return server;
  const ready = await Promise.race([
    exited.then(() => false),
    (async () => {
      while (!output.includes("chatalot: ready")) await new Promise((resolve) => setTimeout(resolve, 100));
      return true;
    })(),
  ]);
  if (!ready) throw new Error(`the server did not start:\n${output}`);
  return server;
}
