/**
 * docker-compose.yml as Docker Compose itself reads it: rendered by `docker-compose config`
 * (the Debian docker-compose package) in a scratch copy of the deployment, with .env made
 * from .env.example and secrets/ from scripts/generate-secrets.sh, then checked for the
 * properties self-hosting relies on. The Dockerfile is read as text for its USER.
 * Long because every property is its own behaviour sentence over the one rendering.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { BlockList, isIPv6 } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../support/server.ts";

interface Service {
  image?: string;
  profiles?: string[];
  ports?: (string | { published?: number | string; target?: number; host_ip?: string; protocol?: string })[];
  networks?: Record<string, unknown> | string[];
  volumes?: (string | { type?: string; source?: string; target: string; read_only?: boolean })[];
  secrets?: (string | { source: string; target?: string })[];
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string | string[] };
  command?: string | string[];
  entrypoint?: string | string[];
  user?: string;
}

interface ComposeConfig {
  services: Record<string, Service>;
  networks?: Record<string, { internal?: boolean } | null>;
  volumes?: Record<string, unknown>;
  secrets?: Record<string, { file?: string }>;
}

const INSTALL_HINT =
  "docker-compose is not installed, and these tests need it to validate docker-compose.yml. " +
  "Install it with `apt-get install docker-compose` (Debian/Ubuntu), then run the tests again.";

interface Rendered {
  /** `docker-compose config`: what `docker compose up -d` starts. */
  plain: ComposeConfig;
  /** `docker-compose --profile turn config`, and its text. */
  withTurn: ComposeConfig;
  withTurnText: string;
}

let project: string;
/** Rendered once; an error (docker-compose missing, invalid file) fails every test with its message. */
let renderedOrError: Rendered | Error;

function rendered(): Rendered {
  if (renderedOrError instanceof Error) throw renderedOrError;
  return renderedOrError;
}

/** Runs docker-compose in the scratch project with nothing from our own environment but PATH and HOME. */
function dockerCompose(args: string[]): string {
  const result = spawnSync(
    "docker-compose",
    ["--project-directory", project, "-f", join(project, "docker-compose.yml"), ...args],
    {
      cwd: project,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      encoding: "utf8",
    },
  );
  if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(INSTALL_HINT);
  if (result.status !== 0)
    throw new Error(`docker-compose ${args.join(" ")} failed:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** The rendered configuration as an object: Compose v2 prints JSON itself; v1 (Debian 12) only YAML. */
function render(profiles: string[]): { config: ComposeConfig; text: string } {
  const profileArgs = profiles.flatMap((profile) => ["--profile", profile]);
  const version = dockerCompose(["version", "--short"]).trim();
  if (!version.startsWith("1.")) {
    const text = dockerCompose([...profileArgs, "config", "--format", "json"]);
    return { config: JSON.parse(text) as ComposeConfig, text };
  }
  const text = dockerCompose([...profileArgs, "config"]);
  // docker-compose v1 is a Python program that depends on PyYAML, so this converter is always there.
  const converted = spawnSync(
    "python3",
    ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
    {
      input: text,
      encoding: "utf8",
    },
  );
  if (converted.status !== 0) throw new Error(`could not read docker-compose's YAML: ${converted.stderr}`);
  return { config: JSON.parse(converted.stdout) as ComposeConfig, text };
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "chatalot-compose-"));
  for (const name of ["docker-compose.yml", "Dockerfile", ".dockerignore"])
    copyFileSync(join(root, name), join(project, name));
  copyFileSync(join(root, ".env.example"), join(project, ".env"));
  const secrets = spawnSync("sh", [join(root, "scripts", "generate-secrets.sh")], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, SECRETS_DIR: join(project, "secrets") },
    encoding: "utf8",
  });
  if (secrets.status !== 0) throw new Error(`generate-secrets.sh failed: ${secrets.stderr}`);
  try {
    const withTurn = render(["turn"]);
    renderedOrError = { plain: render([]).config, withTurn: withTurn.config, withTurnText: withTurn.text };
  } catch (error) {
    renderedOrError = error as Error;
  }
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

const service = (config: ComposeConfig, name: string): Service => {
  const found = config.services[name];
  if (!found) throw new Error(`docker-compose.yml has no ${name} service`);
  return found;
};

const networksOf = (entry: Service) =>
  Array.isArray(entry.networks) ? entry.networks : Object.keys(entry.networks ?? {});

/** A volume entry in either rendering: "source:target:mode" (v1) or the long form (v2). */
function mounts(entry: Service) {
  return (entry.volumes ?? []).map((volume) => {
    if (typeof volume !== "string")
      return { source: volume.source ?? "", target: volume.target, isReadOnly: volume.read_only === true };
    const [source = "", target = "", mode = "rw"] = volume.split(":");
    return { source, target, isReadOnly: mode.split(",").includes("ro") };
  });
}

const secretNames = (entry: Service) =>
  (entry.secrets ?? []).map((secret) => (typeof secret === "string" ? secret : secret.source));

const asList = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The last USER of the Dockerfile's final stage: who the image runs as. */
function dockerfileUser(): string | undefined {
  const text = readFileSync(join(root, "Dockerfile"), "utf8");
  const finalStage = text.split(/^FROM\s/m).at(-1) ?? "";
  return [...finalStage.matchAll(/^USER\s+(\S+)/gm)].at(-1)?.[1];
}

describe("docker-compose.yml", () => {
  it("starts only PostgreSQL and the server by default; the TURN relay only under the turn profile", () => {
    const { plain, withTurn } = rendered();

    expect(withTurn.services.turn?.profiles).toEqual(["turn"]);
    expect(service(plain, "postgres").profiles ?? []).toEqual([]);
    expect(service(plain, "chatalot").profiles ?? []).toEqual([]);
    // Compose v2 leaves inactive services out of `config`; v1 lists them with their profiles.
    if (plain.services.turn) expect(plain.services.turn.profiles).toEqual(["turn"]);
  });

  it("keeps PostgreSQL unpublished, on an internal network only, with a health check and a data volume", () => {
    const { plain } = rendered();
    const postgres = service(plain, "postgres");

    expect(postgres.ports ?? []).toEqual([]);
    expect(networksOf(postgres)).toEqual(["backend"]);
    expect(plain.networks?.backend?.internal).toBe(true);
    expect(asList(postgres.healthcheck?.test).join(" ")).toContain("pg_isready");
    expect(postgres.image).toMatch(/^postgres:17(\.|-|$)/);
    const data = mounts(postgres).find((mount) => mount.target === "/var/lib/postgresql/data");
    expect(data?.source, "PostgreSQL's data directory should be a named volume").toBe("postgres-data");
    expect(Object.keys(plain.volumes ?? {})).toContain("postgres-data");
  });

  it("gives PostgreSQL its password as a file, never as a value", () => {
    const postgres = service(rendered().plain, "postgres");

    expect(postgres.environment?.POSTGRES_PASSWORD_FILE).toBe("/run/secrets/db_password");
    expect(postgres.environment).not.toHaveProperty("POSTGRES_PASSWORD");
    expect(secretNames(postgres)).toEqual(["db_password"]);
  });

  it("starts the server once PostgreSQL is healthy, and checks the server's own /health", () => {
    const chatalot = service(rendered().plain, "chatalot");

    expect(chatalot.depends_on).toMatchObject({ postgres: { condition: "service_healthy" } });
    expect(asList(chatalot.healthcheck?.test).join(" ")).toMatch(/curl .*http:\/\/127\.0\.0\.1:8080\/health/);
    expect(networksOf(chatalot).sort()).toEqual(["backend", "frontend"]);
  });

  it("trusts X-Forwarded-For from exactly one address: the gateway of the server's fixed network", () => {
    const frontend = rendered().plain.networks?.frontend as { ipam?: { config?: { subnet?: string }[] } } | null;
    const subnet = frontend?.ipam?.config?.[0]?.subnet;
    expect(subnet).toBe("172.30.80.0/24");
    const trusted = service(rendered().plain, "chatalot").environment?.TRUSTED_PROXIES;
    // One address, no range: the first of the subnet, where Docker puts the gateway.
    expect(trusted).toBe(subnet!.replace(/\.0\/24$/, ".1"));
  });

  it("publishes the server on loopback only by default, for a reverse proxy in front", () => {
    const ports = service(rendered().plain, "chatalot").ports ?? [];

    expect(ports).toHaveLength(1);
    const port = ports[0]!;
    if (typeof port === "string") expect(port).toMatch(/^127\.0\.0\.1:8080:8080(\/tcp)?$/);
    else expect(port).toMatchObject({ host_ip: "127.0.0.1", published: expect.anything(), target: 8080 });
  });

  it("mounts the server's secrets read-only from secrets/, as settings that name files", () => {
    const { plain } = rendered();
    const chatalot = service(plain, "chatalot");

    expect(secretNames(chatalot).sort()).toEqual([
      "db_password",
      "jwt_private.pem",
      "jwt_public.pem",
      "metrics_token",
      "totp_encryption_key",
      "totp_encryption_key_version",
      "totp_encryption_keys_retired",
      "turn_secret",
      "vapid_private.pem",
    ]);
    for (const name of secretNames(chatalot)) expect(plain.secrets?.[name]?.file).toBe(join(project, "secrets", name));
    // Compose secrets are always read-only; a secret bind-mounted as a volume must be too.
    for (const mount of mounts(chatalot).filter((mount) => mount.source.includes("secrets")))
      expect(mount.isReadOnly).toBe(true);
    expect(chatalot.environment).toMatchObject({
      DB_HOST: "postgres",
      DB_PASSWORD_FILE: "/run/secrets/db_password",
      JWT_PRIVATE_KEY_FILE: "/run/secrets/jwt_private.pem",
      JWT_PUBLIC_KEY_FILES: "/run/secrets/jwt_public.pem",
      TOTP_ENCRYPTION_KEY_FILE: "/run/secrets/totp_encryption_key",
      TOTP_ENCRYPTION_KEY_VERSION_FILE: "/run/secrets/totp_encryption_key_version",
      TOTP_ENCRYPTION_KEYS_RETIRED_FILE: "/run/secrets/totp_encryption_keys_retired",
      TURN_SECRET_FILE: "/run/secrets/turn_secret",
      VAPID_PRIVATE_KEY_FILE: "/run/secrets/vapid_private.pem",
      METRICS_TOKEN_FILE: "/run/secrets/metrics_token",
    });
  });

  it("keeps room storage in a named volume and uploads in the host's data/uploads", () => {
    const chatalot = service(rendered().plain, "chatalot");
    const volumes = mounts(chatalot);

    expect(volumes.find((mount) => mount.target === "/data/rooms")?.source).toBe("room-storage");
    expect(volumes.find((mount) => mount.target === "/data/uploads")?.source).toBe(join(project, "data", "uploads"));
    expect(chatalot.environment?.UPLOAD_DIR).toBe("/data/uploads");
  });

  it("runs the server as a non-root user", () => {
    const user = dockerfileUser();

    expect(user, "the Dockerfile's final stage should set USER").toBeDefined();
    expect(["root", "0", "root:root", "0:0"]).not.toContain(user);
    expect(service(rendered().plain, "chatalot").user ?? user).toBe(user);
  });

  it("puts no secret value anywhere in the rendered configuration", () => {
    const { withTurnText } = rendered();

    // The public key, the key's version number and the (empty) retired-key list are not secret values.
    const notValues = ["jwt_public.pem", "totp_encryption_key_version", "totp_encryption_keys_retired"];
    for (const name of readdirSync(join(project, "secrets")).filter((name) => !notValues.includes(name))) {
      const value = readFileSync(join(project, "secrets", name), "utf8").trim();
      expect(withTurnText.includes(value), name).toBe(false);
    }
  });
});

describe("the turn profile", () => {
  const turn = () => service(rendered().withTurn, "turn");
  const deniedRanges = () =>
    asList(turn().command)
      .filter((argument) => argument.startsWith("--denied-peer-ip="))
      .map((argument) => argument.slice("--denied-peer-ip=".length));

  /** The start script the turn service runs: mounted read-only from scripts/, named by the entrypoint. */
  const startScript = () => {
    const mount = mounts(turn()).find((mount) => asList(turn().entrypoint).includes(mount.target));
    expect(mount, "the entrypoint should run a script mounted from the checkout").toBeDefined();
    expect(mount!.source).toBe(join(project, "scripts", "turn-relay.sh"));
    expect(mount!.isReadOnly).toBe(true);
    return readFileSync(join(root, "scripts", "turn-relay.sh"), "utf8");
  };

  it("uses REST credentials from the turn secret, with the CLI and multicast peers off", () => {
    const args = asList(turn().command);

    expect(args).toEqual(expect.arrayContaining(["--use-auth-secret", "--no-cli", "--no-multicast-peers"]));
    expect(secretNames(turn())).toEqual(["turn_secret"]);
    expect(startScript()).toContain("static-auth-secret=");
    expect(startScript()).toContain("/run/secrets/turn_secret");
  });

  it("lets nonces go stale and caps allocations per person, in total and in bandwidth", () => {
    const args = asList(turn().command);

    expect(args).toEqual(expect.arrayContaining(["--stale-nonce=600", "--user-quota=50", "--max-bps=375000"]));
    expect(turn().environment).toMatchObject({
      TURN_MIN_PORT: "49160",
      TURN_MAX_PORT: "49200",
      TURN_BPS_CAPACITY: "12500000",
      TURN_TCP_RELAY: "false",
      TURN_RELAY_TO_SELF: "false",
    });
    // The script turns those settings into flags, and denies relaying to the host's own public address.
    for (const flag of [
      "--total-quota=",
      "--bps-capacity=",
      "--no-tcp-relay",
      'self_peer="--denied-peer-ip=$public_ip"',
    ])
      expect(startScript()).toContain(flag);
  });

  it("refuses to relay to private, loopback, link-local and unspecified IPv4 addresses", () => {
    // coturn takes IP or IP-IP ranges only (CIDR aborts it), so each entry must be a range.
    // One list per family: Node matches IPv4 addresses against IPv4-mapped IPv6 ranges too.
    const denied = { ipv4: new BlockList(), ipv6: new BlockList() };
    for (const range of deniedRanges()) {
      const [start = "", end = start] = range.split("-");
      const family = isIPv6(start) ? "ipv6" : "ipv4";
      denied[family].addRange(start, end, family);
    }
    const mustBeDenied = [
      "0.0.0.0",
      "10.1.2.3",
      "100.64.0.1",
      "127.0.0.1",
      "127.255.0.9",
      "169.254.169.254",
      "172.16.0.1",
      "172.31.255.254",
      "192.168.1.1",
    ];
    for (const address of mustBeDenied) expect(denied.ipv4.check(address, "ipv4"), address).toBe(true);
    // Not "::": coturn 4.6 reads an unspecified-address range as holding every IPv4 peer.
    expect(deniedRanges().filter((range) => /^(::|0*(:0*)+)(-|$)/.test(range))).toEqual([]);
    for (const address of ["::1", "fc00::1", "fd12:3456::1", "fe80::1", "::ffff:10.0.0.1"]) {
      expect(denied.ipv6.check(address, "ipv6"), address).toBe(true);
    }
    for (const address of ["8.8.8.8", "1.1.1.1", "172.32.0.1"])
      expect(denied.ipv4.check(address, "ipv4"), address).toBe(false);
    expect(denied.ipv6.check("2606:4700::1111", "ipv6")).toBe(false);
  });

  it("publishes TURN on UDP and TCP and the relay range on the same ports inside and out", () => {
    const ports = (turn().ports ?? []).map((port) =>
      typeof port === "string" ? port : `${port.published}:${port.target}/${port.protocol ?? "tcp"}`,
    );
    const args = asList(turn().command);

    expect(ports).toEqual(
      expect.arrayContaining(["3478:3478/udp", "3478:3478/tcp", "49160:49160/udp", "49200:49200/udp"]),
    );
    expect(args).toEqual(expect.arrayContaining(["--min-port=49160", "--max-port=49200"]));
    expect(networksOf(turn())).not.toContain("backend");
  });
});

describe(".env.example", () => {
  const lines = () => readFileSync(join(root, ".env.example"), "utf8").split("\n");
  const names = () => lines().flatMap((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1] ?? []);

  it("comments every variable on the line above it", () => {
    const all = lines();
    const uncommented = all.filter((line, index) => /^[A-Z]/.test(line) && !all[index - 1]?.startsWith("#"));

    expect(uncommented).toEqual([]);
  });

  it("names only variables that the compose file, the entrypoint or the server reads", () => {
    const readers = ["docker-compose.yml", "scripts/serve.sh", "functions/config.ts", "workerd/chatalot.capnp"]
      .map((file) => readFileSync(join(root, file), "utf8"))
      .join("\n");

    expect(names().filter((name) => !new RegExp(`\\b${name}\\b`).test(readers))).toEqual([]);
  });

  it("has every variable described in the README's configuration table", () => {
    const documentation = readFileSync(join(root, "README.md"), "utf8");

    expect(names().filter((name) => !documentation.includes(`| \`${name}\` |`))).toEqual([]);
  });
});
