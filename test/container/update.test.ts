/**
 * scripts/update.sh against the real compose stack (podman, stack.ts): the deployment is
 * made a git checkout of this tree, a new commit is updated to and the admin sees its
 * commit on the overview, the image kept for a rollback being the one that ran (not what
 * the tag named); then a commit whose new migration fails is pulled and updated to, the
 * script rolls back, the previous build serves again with every account and community it
 * had, the failed migration not applied, and the checkout is back at the commit that ran.
 * First, what README.md's proxy section says of TRUSTED_PROXIES: a proxy on the host
 * reaches the server from the frontend network's gateway, which the README's podman
 * command prints.
 */
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMPOSE_ENV, startStack, type RunResult, type Stack } from "./stack.ts";
import { run } from "./podman.ts";

const repositoryRoot = join(import.meta.dirname, "..", "..");
const ADMIN_PASSWORD = "a long passphrase for the update test";
/** Two image builds and a backup each: generous on a shared two-core machine. */
const UPDATE_TIMEOUT_MS = 900_000;
const HOST_CA_DIR = "/usr/local/share/ca-certificates";

let stack: Stack;
/** A bare repository the deployment pulls releases from. */
const upstream = mkdtempSync(join(tmpdir(), "chatalot-update-upstream-"));
let token = "";
/** The stack's own name for global-setup's image, so its updates move no tag other runs use. */
const IMAGE = `chatalot-update-${process.pid}:local`;
const PREVIOUS = IMAGE.replace(/:local$/, ":previous");

const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=Operator", "-c", "user.email=operator@example.com", ...args], {
    cwd: stack.dir,
    encoding: "utf8",
  }).trim();

const update = (...args: string[]): Promise<RunResult> =>
  run(join(stack.dir, "scripts", "update.sh"), args, {
    cwd: stack.dir,
    // docker-compose builds with `podman build` (the shim), which makes OCI images unless told;
    // global-setup built Docker-format ones, and only the same format reuses its cached layers
    // (so npm ci never runs, and never needs the registry) and keeps the HEALTHCHECK.
    env: { ...COMPOSE_ENV, BUILDAH_FORMAT: "docker", UPDATE_HEALTH_TIMEOUT_SECS: "240" },
    timeoutMs: UPDATE_TIMEOUT_MS,
  });

async function api(path: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${stack.url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const appliedMigrations = async () =>
  Number(
    (
      await stack.compose([
        "exec",
        "-T",
        "postgres",
        "sh",
        "-c",
        'psql -At -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c "select count(*) from drizzle.__drizzle_migrations"',
      ])
    ).stdout.trim(),
  );

/** The working tree as a clone has it (tracked and new files, nothing ignored), into the deployment. */
function copyWorkingTree(into: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repositoryRoot,
    encoding: "utf8",
  })
    .split("\0")
    .filter((path) => path && existsSync(join(repositoryRoot, path)));
  for (const path of files) {
    // The stack's own compose file and scripts are the ones it was started with.
    if (existsSync(join(into, path))) continue;
    mkdirSync(dirname(join(into, path)), { recursive: true });
    copyFileSync(join(repositoryRoot, path), join(into, path));
  }
}

beforeAll(async () => {
  expect((await run("podman", ["tag", "chatalot:local", IMAGE])).code).toBe(0);
  stack = await startStack("update", { env: { CHATALOT_IMAGE: IMAGE } });
  copyWorkingTree(stack.dir);
  // Where egress passes a TLS-intercepting proxy, global-setup builds with this argument (and
  // the CA mounted); the same value here keeps its dependency layer cached, so no build of the
  // test reaches the registry. A normal machine has no such certificates and needs no file.
  const certificates = existsSync(HOST_CA_DIR) ? readdirSync(HOST_CA_DIR).filter((name) => name.endsWith(".crt")) : [];
  if (certificates.length > 0) {
    writeFileSync(
      join(stack.dir, "docker-compose.override.yml"),
      "services:\n  chatalot:\n    build:\n      context: .\n      args:\n        NODE_EXTRA_CA_CERTS: /run/build-ca/ca.pem\n",
    );
  }
  git("init", "-q");
  git("add", "-A");
  git("commit", "-q", "-m", "the release that runs");
  // Where releases come from, for `git pull --ff-only`.
  execFileSync("git", ["init", "-q", "--bare", upstream]);
  git("remote", "add", "origin", upstream);
  git("push", "-q", "-u", "origin", "HEAD");

  const registered = await api("/api/auth/register", { body: { username: "admin", password: ADMIN_PASSWORD } });
  expect(registered.status).toBe(201);
  token = registered.body.accessToken;
  expect((await api("/api/communities", { body: { name: "Before the update" } })).status).toBe(201);
});

afterAll(async () => {
  await stack?.down();
  await run("podman", ["rmi", IMAGE, PREVIOUS]);
  rmSync(upstream, { recursive: true, force: true });
});

describe("a reverse proxy on the host", () => {
  it("reaches the server from the network's gateway, which TRUSTED_PROXIES names and the README's command prints", async () => {
    const gateway = await run(
      "sh",
      ["-c", `podman network inspect "$(basename "$PWD")_frontend" --format '{{range .Subnets}}{{.Gateway}}{{end}}'`],
      { cwd: stack.dir },
    );
    expect(gateway.stdout.trim()).toMatch(/^172\.30\.\d+\.1$/);
    expect(readFileSync(join(stack.dir, ".env"), "utf8")).toContain(`\nTRUSTED_PROXIES=${gateway.stdout.trim()}\n`);
    // What the README's nginx sends: the address it saw. Believed only from the gateway.
    const signedIn = await fetch(`${stack.url}/api/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-For": "203.0.113.7" },
      body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
    });
    const { accessToken } = (await signedIn.json()) as { accessToken: string };
    const sessions = await fetch(`${stack.url}/api/sessions`, { headers: { Authorization: `Bearer ${accessToken}` } });
    const { sessions: list } = (await sessions.json()) as { sessions: { isCurrent: boolean; ip: string }[] };
    expect(list.find((session) => session.isCurrent)?.ip).toBe("203.0.113.7");
  });
});

describe("scripts/update.sh", () => {
  let updatedCommit = "";

  it("updates to a new commit, and the admin sees that commit running", async () => {
    writeFileSync(join(stack.dir, "README.md"), `${readFileSync(join(stack.dir, "README.md"), "utf8")}\nUpdated.\n`);
    git("commit", "-q", "-am", "a new release");
    updatedCommit = git("rev-parse", "--short=12", "HEAD");
    git("push", "-q");
    // The tag names an image that never ran (a build left half-way, say): the rollback must
    // keep the image the container runs.
    const container = (await stack.compose(["ps", "-q", "chatalot"])).stdout.trim().split("\n")[0]!;
    const ran = (await run("podman", ["inspect", "--format", "{{.Image}}", container])).stdout.trim();
    const postgresImage = /image: (postgres:\S+)/.exec(
      readFileSync(join(stack.dir, "docker-compose.yml"), "utf8"),
    )![1]!;
    expect((await run("podman", ["tag", postgresImage, IMAGE])).code).toBe(0);

    const result = await update("--no-pull");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`(commit ${updatedCommit}): healthy`);
    const backups = readdirSync(join(stack.dir, "backups")).filter((name) => name.endsWith(".tar"));
    expect(backups).toHaveLength(1);

    const overview = await api("/api/admin/overview");
    expect(overview.status).toBe(200);
    expect(overview.body.release.commit).toBe(updatedCommit);
    const kept = (await run("podman", ["image", "inspect", "--format", "{{.Id}}", PREVIOUS])).stdout.trim();
    expect(kept).toBe(ran);
  });

  it("rolls back an update whose migration fails: the previous build serves again, its data intact", async () => {
    const migrationsBefore = await appliedMigrations();
    const journalPath = join(stack.dir, "db", "migrations", "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8"));
    const last = journal.entries.at(-1);
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1, tag: "9999_fails" });
    writeFileSync(journalPath, JSON.stringify(journal, null, 2));
    writeFileSync(join(stack.dir, "db", "migrations", "9999_fails.sql"), "SELECT 1 / 0;\n");
    execFileSync(process.execPath, ["scripts/embed-migrations.ts"], { cwd: stack.dir });
    git("add", "db/migrations");
    git("commit", "-q", "-m", "a release whose migration fails");
    // Published upstream; the deployment still at the release that runs, and pulls it.
    git("push", "-q");
    git("reset", "-q", "--hard", "HEAD~1");

    const result = await update();
    expect(result.code, result.stderr).toBe(2);
    // Back at the commit that ran, so a `docker compose up --build` builds that one.
    expect(git("rev-parse", "--short=12", "HEAD")).toBe(updatedCommit);
    expect(result.stderr).toContain(`the checkout is back at ${updatedCommit}`);
    expect(result.stderr).toContain("division by zero");
    expect(result.stderr).toContain("the database schema is unchanged");
    expect(result.stderr).toContain("rolled back: Chatalot");

    expect(await stack.health()).toMatchObject({ status: 200, body: { status: "ok" } });
    const overview = await api("/api/admin/overview");
    expect(overview.body.release.commit).toBe(updatedCommit);
    const communities = await api("/api/communities");
    expect(communities.body.communities.map((community: { name: string }) => community.name)).toContain(
      "Before the update",
    );
    expect(await appliedMigrations()).toBe(migrationsBefore);
  });
});
