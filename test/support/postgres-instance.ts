/**
 * A PostgreSQL server of the test's own (initdb into a temporary directory, on a
 * free port), so a test can restart it or kill it without touching the machine's
 * shared server. PostgreSQL refuses to run as root, so as root it runs as the
 * `postgres` system user (Debian's package creates it).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./database.ts";

export interface PostgresInstance {
  url: string;
  /** Stops it the way a crash would (immediate mode: no checkpoint), then starts it again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

function binDirectory(): string {
  const versions = existsSync("/usr/lib/postgresql") ? execFileSync("ls", ["/usr/lib/postgresql"]).toString() : "";
  const newest = versions
    .split("\n")
    .filter(Boolean)
    .sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error("PostgreSQL's server binaries are missing: apt-get install postgresql");
  return join("/usr/lib/postgresql", newest, "bin");
}

export async function startPostgresInstance(): Promise<PostgresInstance> {
  const bin = binDirectory();
  const directory = mkdtempSync(join(tmpdir(), "chatalot-pg-"));
  const data = join(directory, "data");
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(directory, uid, gid);
  }
  chmodSync(directory, 0o700);
  const run = (command: string, args: string[]) =>
    execFileSync(
      isRoot ? "runuser" : join(bin, command),
      isRoot ? ["-u", "postgres", "--", join(bin, command), ...args] : args,
      {
        stdio: "pipe",
      },
    );
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const port = await freePort();
  const options = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=on`;
  const start = async () => {
    run("pg_ctl", ["-D", data, "-o", options, "-w", "-l", join(directory, "log"), "start"]);
  };
  const stop = async (mode: "fast" | "immediate") => {
    run("pg_ctl", ["-D", data, "-m", mode, "-w", "stop"]);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    async restart() {
      await stop("immediate");
      await start();
    },
    async stop() {
      try {
        await stop("fast");
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}
