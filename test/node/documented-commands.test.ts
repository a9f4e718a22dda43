/**
 * Every command the documentation tells a person to type runs as written. The fenced
 * shell blocks of README.md, bench/README.md and docs/ are read, in order, and each
 * command is run in a scratch copy of the checkout (so `npm run format` or `npm run dev`
 * touch nothing of the developer's) with the PATH a newcomer's shell has: no
 * node_modules/.bin, no npm variables. Long commands run in a short mode (more flags
 * appended, which override the documented ones), servers until they answer. Commands
 * that cannot run here are listed with the reason; a command the table does not know
 * fails the test, so a new one is classified when it is documented.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { root } from "../support/server.ts";

const DOCUMENTS = [
  "README.md",
  "bench/README.md",
  ...readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** The PostgreSQL server the documentation names; replaced by the suite's own when it has one. */
const DOCUMENTED_SERVER = "postgres://postgres@127.0.0.1:5432/";

type Plan =
  /** Run it, with `append` added (a short mode); `background` keeps it running beside the next command. */
  | { kind: "run"; append?: string; timeoutSeconds: number; background?: boolean }
  /** A server: run it until `url` answers (with `isOkOnly`, a 2xx), then stop it. */
  | {
      kind: "serve";
      urls: { url: () => string; isOkOnly: boolean }[];
      env?: () => Record<string, string>;
      timeoutSeconds: number;
    }
  | { kind: "not run"; reason: string };

const run = (timeoutSeconds: number, append?: string): Plan => ({ kind: "run", append, timeoutSeconds });
const notRun = (reason: string): Plan => ({ kind: "not run", reason });

const DOCKER =
  "needs a Docker engine, which these machines do not have; test/node/compose.test.ts renders the same " +
  "docker-compose.yml, and the operations issue's container test runs the stack under podman";

let scratch: string;
let ports: { start: number; pglite: number; production: number };
let secretsDir: string;
/** `npm run start:production` gets a database of its own, dropped afterwards. */
let productionDatabase: TestDatabase;

/** Keyed by the command as written (continuation lines joined, the trailing comment removed). */
const PLANS: Record<string, Plan> = {
  "npm install": notRun("CI's `npm ci` installs from the same lockfile just before this suite runs"),
  "npm start": {
    kind: "serve",
    urls: [{ url: () => `http://127.0.0.1:${ports.start}/health`, isOkOnly: true }],
    env: () => ({ PORT: String(ports.start), PGLITE_PORT: String(ports.pglite), DATABASE_URL: "" }),
    timeoutSeconds: 180,
  },
  "npm test": notRun("this suite itself"),
  "sudo apt-get install chromium docker-compose coturn nginx caddy": notRun(
    ".ci/run installs them (as root, so without sudo) before the suite",
  ),
  "DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm test": notRun("this suite itself, as CI runs it"),
  "git clone <repository URL> chatalot": notRun("the placeholder is the reader's; this checkout is the clone"),
  "cd chatalot": notRun(DOCKER),
  "sudo CHATALOT_UID=10001 scripts/generate-secrets.sh": notRun(
    "needs root and user 10001; test/node/secrets-scripts.test.ts runs the script with CHATALOT_UID",
  ),
  "cp .env.example .env": notRun(DOCKER),
  "$EDITOR .env": notRun("a person edits the file"),
  "mkdir -p data/uploads && sudo chown 10001:10001 data/uploads": notRun(DOCKER),
  "docker compose up -d": notRun(DOCKER),
  "docker compose ps": notRun(DOCKER),
  "docker compose logs -f chatalot": notRun(DOCKER),
  "curl -fsS http://127.0.0.1:8080/health": notRun(`asks the Docker stack; ${DOCKER}`),
  'curl -fsS -X POST http://127.0.0.1:8080/api/auth/register -H \'Content-Type: application/json\' -d \'{"username":"admin","password":"at least ten characters"}\'':
    notRun(`asks the Docker stack; ${DOCKER}`),
  "docker compose --profile turn up -d": notRun(DOCKER),
  'curl -fsS -H "Authorization: Bearer $ACCESS_TOKEN" https://chat.example.com/api/calls/ice-servers': notRun(
    "asks the reader's own deployment; test/node/turn-relay.test.ts asks the same route of a local server",
  ),
  "turnutils_uclient -n 5 -u '<username>' -w '<credential>' -e <peer address> -r 3480 chat.example.com": notRun(
    "the placeholders are the reader's; test/node/turn-relay.test.ts runs turnutils_uclient against a local relay",
  ),
  "scripts/update.sh": notRun(`${DOCKER}; test/container/update.test.ts runs it against the podman stack`),
  "scripts/backup.sh": notRun(`${DOCKER}; test/container/backup.test.ts runs it against the podman stack`),
  "scripts/restore.sh backups/chatalot-backup-20261207T031500Z.tar": notRun(
    `${DOCKER}; test/container/backup.test.ts runs it against the podman stack, test/node/backup-restore.test.ts natively`,
  ),
  "docker tag chatalot:previous chatalot:local": notRun(DOCKER),
  "docker compose up -d chatalot": notRun(DOCKER),
  'docker network inspect "$(basename "$PWD")_frontend" --format \'{{range .IPAM.Config}}{{.Gateway}}{{end}}\'': notRun(
    `asks the Docker stack's network; ${DOCKER}`,
  ),
  "DATABASE_URL=postgres://postgres@127.0.0.1:5432/chatalot npm run dev": {
    kind: "serve",
    // wrangler dev answers once the worker is up (503 while its database is unreachable is an answer).
    urls: [
      { url: () => "http://127.0.0.1:5173/", isOkOnly: true },
      { url: () => "http://127.0.0.1:8787/health", isOkOnly: false },
    ],
    timeoutSeconds: 120,
  },
  "npm run check": notRun(
    "`npm run typecheck`, `npm run format:check` and `npm test`: the first two run below, the last is this suite",
  ),
  "npm run format": run(120),
  "npm run typecheck": run(180),
  "npm run db:generate": run(60),
  "npm run types": run(60),
  "npm run build": run(120),
  "npm run start:production": {
    kind: "serve",
    urls: [{ url: () => `http://127.0.0.1:${ports.production}/health`, isOkOnly: true }],
    env: () => ({
      PUBLIC_URL: `http://127.0.0.1:${ports.production}`,
      ADMIN_USERNAME: "admin",
      DATABASE_URL: productionDatabase.url,
      JWT_PRIVATE_KEY_FILE: join(secretsDir, "jwt_private.pem"),
      JWT_PUBLIC_KEY_FILES: join(secretsDir, "jwt_public.pem"),
      TOTP_ENCRYPTION_KEY_FILE: join(secretsDir, "totp_encryption_key"),
      WORKERD: join(root, "node_modules", ".bin", "workerd"),
      LISTEN: `127.0.0.1:${ports.production}`,
      ROOM_STORAGE_DIR: join(scratch, ".chatalot", "production-rooms"),
      UPLOAD_DIR: join(scratch, ".chatalot", "production-uploads"),
      WEB_ROOT: join(scratch, "web", "dist"),
    }),
    timeoutSeconds: 120,
  },
  // The messaging bench at small scale covers every scenario; the one-scenario variants are
  // checked by `--help`, which validates the whole command line and names what would run.
  "npm run bench": run(300, "-- --quick"),
  "npm run bench -- --quick": run(300),
  "npm run bench -- --scenario throughput": run(30, "--help"),
  "npm run bench -- --scenario idle": run(30, "--help"),
  "npm run bench -- --scenario catch-up,history --quick": run(30, "--help"),
  "npx node bench/password-hashing.ts": run(300, "--quick"),
  "npx node bench/unread.ts": run(120, "--communities 2 --channels 2 --requests 10"),
  "npx node bench/backup.ts": run(180, "--messages 2000"),
  "npx node bench/latency-ladder.ts --channels 5 --members 4 --rates 50,100 --seconds 3 --spans 100": run(240),
  "npx node bench/search-metadata.ts --rows 1000000 --requests 200": run(180, "--rows 20000 --requests 10"),
  "npx node bench/push.ts --people 20 --rate 200 --seconds 10": run(180, "--people 2 --rate 20 --seconds 2"),
  "npx node bench/sign-in-flood.ts": run(180, "--flood 12 --rate 20 --seconds 2"),
  "npx node test/chaos.ts --seconds 300": run(180, "--seconds 5 --channels 2 --clients 2"),
  "npx node bench/e2ee.ts": run(120, "--sizes 10 --messages 50"),
  "npx node bench/e2ee-browser.ts": run(120, "--messages 50"),
  "npx node bench/search-index.ts": run(120, "--sizes 1000 --queries 30"),
  "npx node bench/search-index.ts --sizes 1000 --queries 30": run(120),
  // The calls bench's full run takes minutes of Chromium pages; its quick mode runs every part.
  "npx node bench/calls.ts": run(180, "--quick"),
  "npx node bench/calls.ts --quick": run(180),
  "npx node bench/calls.ts --part signaling": run(120, "--quick"),
  // The files bench's full run moves 100 MiB several ways; its quick mode runs every part.
  "npx node bench/files.ts": run(180, "--quick"),
  "npx node bench/files.ts --quick": run(180),
  // The web budgets' full run adds cold loads and Lighthouse on an open channel; quick runs every part.
  "npx node bench/web-budgets.ts": run(240, "--quick"),
  "npx node bench/web-budgets.ts --quick": run(240),
  "INSPECTOR_ADDR=127.0.0.1:9229 npm run bench -- --scenario throughput --seconds 20 &": {
    kind: "run",
    append: "--quick --seconds 4",
    timeoutSeconds: 300,
    background: true,
  },
  "npx node bench/cpu-profile.ts --after 40 --seconds 15": run(180, "--after 1 --seconds 2"),
};

interface Documented {
  document: string;
  line: number;
  command: string;
}

/** The commands of a document's ```sh blocks, in order; `export X=Y` lines are kept as commands. */
function documentedCommands(document: string): Documented[] {
  const lines = readFileSync(join(root, document), "utf8").split("\n");
  const commands: Documented[] = [];
  let isShell = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (/^```/.test(line)) {
      isShell = !isShell && /^```(sh|bash|shell)\s*$/.test(line);
      continue;
    }
    if (!isShell || line.trim() === "") continue;
    let text = line;
    const start = index;
    while (text.endsWith("\\")) text = `${text.slice(0, -1).trimEnd()} ${lines[++index]!.trim()}`;
    const command = text.replace(/\s+#\s.*$/, "").trim();
    if (command) commands.push({ document, line: start + 1, command });
  }
  return commands;
}

/** The environment of a newcomer's shell: the suite's own PATH entries and npm's variables removed. */
function newcomerEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|NODE_ENV$|NODE$|INIT_CWD$|TEST$)/i.test(name)) continue;
    env[name] = value;
  }
  env.PATH = (process.env.PATH ?? "")
    .split(":")
    .filter((entry) => !entry.includes("node_modules"))
    .join(":");
  for (const [name, value] of Object.entries(extra)) {
    if (value === "") delete env[name];
    else env[name] = value;
  }
  return env;
}

/** The suite's PostgreSQL in place of the documented one (CI's is the same server). */
function withOurDatabase(command: string): string {
  const server = process.env.DATABASE_URL;
  if (!server) return command;
  const url = new URL(server);
  return command.replaceAll(
    DOCUMENTED_SERVER,
    `${url.protocol}//${url.username ? `${url.username}@` : ""}${url.host}/`,
  );
}

interface Outcome {
  code: number | null;
  output: string;
}

interface Running {
  done: Promise<Outcome>;
  stop(): void;
  output(): string;
}

function start(command: string, env: NodeJS.ProcessEnv): Running {
  // Its own process group, so stopping it stops every process it started.
  const child = spawn("sh", ["-c", command], { cwd: scratch, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const done = new Promise<Outcome>((resolve) => child.once("close", (code) => resolve({ code, output })));
  const stop = () => {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // Already gone.
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Stopped by SIGTERM.
      }
    }, 15_000).unref();
  };
  return { done, stop, output: () => output };
}

const tail = (text: string) => (text.length > 4000 ? `…${text.slice(-4000)}` : text);

async function withTimeout<T>(work: Promise<T>, seconds: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(onTimeout()), seconds * 1000)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function answers(url: string, isOkOnly: boolean): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  return response !== undefined && (!isOkOnly || response.ok);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const all = DOCUMENTS.flatMap(documentedCommands);
let exported: Record<string, string> = {};
let background: { command: string; running: Running } | undefined;

beforeAll(async () => {
  // A fresh clone: the tracked and new files, without what builds and runs left behind.
  scratch = mkdtempSync(join(tmpdir(), "chatalot-commands-"));
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root });
  for (const path of String(listed.stdout).split("\0").filter(Boolean)) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    try {
      cpSync(join(root, path), join(scratch, path));
    } catch {
      // Deleted in the working tree but still in the index.
    }
  }
  // The installed packages (installing them is CI's `npm ci`, not a documented command to repeat).
  symlinkSync(join(root, "node_modules"), join(scratch, "node_modules"));
  secretsDir = join(scratch, ".chatalot", "production-secrets");
  spawnSync(join(scratch, "scripts", "generate-secrets.sh"), { env: { ...process.env, SECRETS_DIR: secretsDir } });
  ports = { start: await freePort(), pglite: await freePort(), production: await freePort() };
  productionDatabase = await createTestDatabase("chatalot_commands");
});

afterAll(async () => {
  background?.running.stop();
  await productionDatabase?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("the documented commands", () => {
  it("finds the commands it checks (a parse that found nothing would pass anything)", () => {
    expect(all.length).toBeGreaterThan(40);
    expect(all.map((entry) => entry.command)).toContain("npm test");
  });

  it("knows every documented command: a new one gets a plan or a reason here", () => {
    const unknown = all
      .filter((entry) => !entry.command.startsWith("export ") && !(entry.command in PLANS))
      .map((entry) => `${entry.document}:${entry.line}: ${entry.command}`);
    expect(unknown).toEqual([]);
  });

  it("writes every Node command as `npx node`, so it runs on the project's Node 22, not the machine's", () => {
    const bare = DOCUMENTS.flatMap((document) =>
      readFileSync(join(root, document), "utf8")
        .split("\n")
        .map((line, index) => ({ line, where: `${document}:${index + 1}` }))
        .filter(({ line }) => /(^|[\s`(])node [a-z]+\/\S+\.ts/.test(line.replaceAll("npx node ", ""))),
    ).map(({ where, line }) => `${where}: ${line.trim()}`);
    expect(bare).toEqual([]);
  });

  const seen = new Set<string>();
  for (const { document, line, command } of all) {
    if (command.startsWith("export ")) {
      it(`${document}:${line} \`${command}\` sets the environment of the commands after it`, () => {
        const [name, ...parts] = command.slice("export ".length).split("=");
        const value = parts.join("=");
        // Without a PostgreSQL server of its own the suite runs embedded, and so do the benches.
        const isOurs = process.env.DATABASE_URL || !value.startsWith(DOCUMENTED_SERVER);
        exported = { ...exported, [name!]: isOurs ? withOurDatabase(value) : "" };
      });
      continue;
    }
    const plan = PLANS[command];
    if (!plan || plan.kind === "not run") continue;
    const effective =
      plan.kind === "run" && plan.append
        ? `${command.replace(/\s*&$/, "")} ${plan.append}`
        : command.replace(/\s*&$/, "");
    if (seen.has(effective)) continue;
    seen.add(effective);

    it(
      `${document}:${line} \`${command}\` runs as written${plan.kind === "run" && plan.append ? ` (with ${plan.append})` : ""}`,
      { timeout: (plan.timeoutSeconds + 30) * 1000 },
      async () => {
        const env = newcomerEnvironment({ ...exported, ...(plan.kind === "serve" ? plan.env?.() : {}) });
        const running = start(withOurDatabase(effective), env);
        if (plan.kind === "serve") {
          const deadline = Date.now() + plan.timeoutSeconds * 1000;
          let isUp = false;
          let exited: Outcome | undefined;
          void running.done.then((outcome) => (exited = outcome));
          while (!isUp && !exited && Date.now() < deadline) {
            isUp = (await Promise.all(plan.urls.map(({ url, isOkOnly }) => answers(url(), isOkOnly)))).every(Boolean);
            if (!isUp) await new Promise((resolve) => setTimeout(resolve, 500));
          }
          running.stop();
          await withTimeout(running.done, 30, () => ({ code: null, output: running.output() }));
          expect(
            isUp,
            `\`${effective}\` did not answer at ${plan.urls.map(({ url }) => url()).join(" and ")} within ${plan.timeoutSeconds} s:\n${tail(running.output())}`,
          ).toBe(true);
          return;
        }
        if (plan.background) {
          background = { command: effective, running };
          return;
        }
        const outcome = await withTimeout(running.done, plan.timeoutSeconds, () => {
          running.stop();
          return { code: null, output: `${running.output()}\n(stopped after ${plan.timeoutSeconds} s)` };
        });
        expect(outcome.code, `\`${effective}\` failed:\n${tail(outcome.output)}`).toBe(0);
        if (background) {
          const { command: started, running: beside } = background;
          background = undefined;
          const besideOutcome = await withTimeout(beside.done, plan.timeoutSeconds, () => {
            beside.stop();
            return { code: null, output: `${beside.output()}\n(stopped after ${plan.timeoutSeconds} s)` };
          });
          expect(besideOutcome.code, `\`${started}\` (in the background) failed:\n${tail(besideOutcome.output)}`).toBe(
            0,
          );
        }
      },
    );
  }
});
