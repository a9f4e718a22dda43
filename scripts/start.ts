/**
 * `npm start`: Chatalot on this machine in one command. Builds the app, creates
 * local secrets in .chatalot/secrets, starts an embedded PostgreSQL (PGlite, data in
 * .chatalot/pglite) unless DATABASE_URL is set, then runs the production entrypoint.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const state = join(root, ".chatalot");
const bin = (name: string) => join(root, "node_modules", ".bin", name);
const children: ChildProcess[] = [];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) stop(`\`${[command, ...args].join(" ")}\` failed`, result.status ?? 1);
}

function stop(message: string, code: number): never {
  if (message) console.error(`chatalot: ${message}`);
  for (const child of children) child.kill("SIGTERM");
  process.exit(code);
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = createConnection({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.end();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listening on port ${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 250);
      });
    };
    attempt();
  });
}

async function waitForHealth(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
    if (response?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  stop(`the server did not become healthy within ${timeoutMs / 1000} s`, 1);
}

process.on("SIGINT", () => stop("", 0));
process.on("SIGTERM", () => stop("", 0));

run("npm", ["run", "build"]);
const secrets = join(state, "secrets");
run(join(root, "scripts", "generate-secrets.sh"), [], { ...process.env, SECRETS_DIR: secrets });

const port = Number(process.env.PORT ?? 8080);
let databaseUrl = process.env.DATABASE_URL;
let poolSize = process.env.DATABASE_POOL_SIZE ?? "8";
if (!databaseUrl) {
  const pglitePort = Number(process.env.PGLITE_PORT ?? 5488);
  const dataDir = join(state, "pglite");
  mkdirSync(dataDir, { recursive: true });
  console.log(`chatalot: starting embedded PostgreSQL (data in ${dataDir})`);
  const pglite = spawn(
    bin("node"),
    [bin("pglite-server"), `--db=${dataDir}`, `--port=${pglitePort}`, "--max-connections=4"],
    {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  children.push(pglite);
  pglite.once("exit", (code) => stop(`embedded PostgreSQL exited (${code})`, 1));
  await waitForPort(pglitePort, 60_000);
  databaseUrl = `postgres://postgres:postgres@127.0.0.1:${pglitePort}/postgres`;
  // PGlite serves one query at a time; one pooled connection keeps it reliable.
  poolSize = "1";
}

const server = spawn(join(root, "scripts", "serve.sh"), [], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
    ADMIN_USERNAME: process.env.ADMIN_USERNAME ?? "admin",
    // Local trial: anyone who can reach this machine's loopback may register.
    REGISTRATION_MODE: process.env.REGISTRATION_MODE ?? "open",
    // And whoever registers may create a community to try it with.
    COMMUNITY_CREATION_MODE: process.env.COMMUNITY_CREATION_MODE ?? "open",
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: poolSize,
    JWT_PRIVATE_KEY_FILE: join(secrets, "jwt_private.pem"),
    JWT_PUBLIC_KEY_FILES: join(secrets, "jwt_public.pem"),
    TOTP_ENCRYPTION_KEY_FILE: join(secrets, "totp_encryption_key"),
    VAPID_PRIVATE_KEY_FILE: join(secrets, "vapid_private.pem"),
    WORKERD: bin("workerd"),
    LISTEN: `127.0.0.1:${port}`,
    ROOM_STORAGE_DIR: join(state, "rooms"),
    UPLOAD_DIR: join(state, "uploads"),
    WEB_ROOT: join(root, "web", "dist"),
  },
});
children.push(server);
server.once("exit", (code) => stop(code === 0 ? "" : `the server exited (${code})`, code ?? 1));
await waitForHealth(port, 120_000);
console.log(
  `\nChatalot is running at http://localhost:${port}\nRegister "${process.env.ADMIN_USERNAME ?? "admin"}" first: that account becomes the admin. Ctrl-C stops it.\n`,
);
