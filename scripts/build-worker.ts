/**
 * Bundles the server for workerd (dist/worker) with the git commit it is built from
 * baked in (functions/build-info.ts), so the admin page can say exactly what runs.
 * The PostgreSQL bridge and the password hasher get bundles of their own (bridge.js,
 * hasher.js: a few KB each): workerd/chatalot.capnp loads every worker in both of
 * serve.sh's processes, and each copy of the whole bundle costs ~50 MB resident.
 * The commit comes from CHATALOT_COMMIT (the Docker build, which has no .git, gets it
 * as a build argument) or from this checkout's git; neither, and the page shows none.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..");
const GIT_COMMIT = /^[0-9a-f]{7,40}$/;
const COMMIT_LENGTH = 12;

function buildCommit(): string {
  const given = process.env.CHATALOT_COMMIT?.trim().toLowerCase();
  if (given) {
    if (!GIT_COMMIT.test(given)) throw new Error(`CHATALOT_COMMIT must be a git commit in hex (got "${given}")`);
    return given.slice(0, COMMIT_LENGTH);
  }
  try {
    return execFileSync("git", ["rev-parse", `--short=${COMMIT_LENGTH}`, "HEAD"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return ""; // no git, or not a checkout: the build says nothing rather than something wrong
  }
}

const commit = buildCommit();
execFileSync(
  join(root, "scripts", "wrangler.sh"),
  ["deploy", "--dry-run", "--outdir", "dist/worker", "--define", `CHATALOT_COMMIT:${JSON.stringify(commit)}`],
  { cwd: root, stdio: "inherit" },
);
/** Each small worker's entrypoint module, bundled alone; workerd provides `cloudflare:*` and `node:*`. */
const SMALL_WORKERS = { bridge: "db/postgres-bridge.ts", hasher: "functions/password-hasher.ts" };
for (const [name, entry] of Object.entries(SMALL_WORKERS)) {
  await build({
    entryPoints: [join(root, entry)],
    outfile: join(root, "dist", "worker", `${name}.js`),
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2024",
    external: ["cloudflare:*", "node:*"],
    logLevel: "warning",
  });
}
console.log(`built dist/worker for commit ${commit || "(unknown)"}`);
