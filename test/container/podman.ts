/**
 * Podman as the container tests' Docker: a private configuration (runc, the host's hard
 * ulimits, registries blocked, storage kept across runs), `podman system service` on a
 * socket of this run's own for docker-compose, and the cleanup netavark forgets.
 * FIELD-NOTES.md, "The real image and compose stack without Docker", says why each is needed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Kept between runs: the stand-in base images and the build cache live here. */
export const CONTAINER_TEST_ROOT = "/var/lib/chatalot-container-test";
/** Per boot: podman's run-time state and the sockets. */
export const CONTAINER_TEST_RUN = "/run/chatalot-container-test";
/** The `docker` shim (see bin/docker) that operator scripts find first on PATH. */
export const SHIM_DIR = join(import.meta.dirname, "bin");

const CONFIG_DIR = join(CONTAINER_TEST_ROOT, "config");
const IP_FORWARD_PATH = "/proc/sys/net/ipv4/ip_forward";
/** ip_forward before the first container test of this boot made a network (so in /run). */
const IP_FORWARD_ORIGINAL = join(CONTAINER_TEST_RUN, "ip_forward.original");

/** podman's own variables: every podman (CLI, service, the shim) reads the same configuration. */
export const PODMAN_ENV: Record<string, string> = {
  CONTAINERS_CONF: join(CONFIG_DIR, "containers.conf"),
  CONTAINERS_REGISTRIES_CONF: join(CONFIG_DIR, "registries.conf"),
  CONTAINERS_STORAGE_CONF: join(CONFIG_DIR, "storage.conf"),
};

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Written to the command's standard input, then closed. */
  input?: string | Buffer;
  timeoutMs?: number;
}

/** Runs a command to its end and reports its exit code and output; never throws on failure. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...PODMAN_ENV, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 600_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString() + (signal ? `\n(killed by ${signal})` : ""),
      });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.input);
  });
}

/** Like run, but a non-zero exit is an error that carries the command's output. */
export async function runOrThrow(command: string, args: string[], options: RunOptions = {}): Promise<string> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.code}:\n${result.stderr}\n${result.stdout}`.trim());
  }
  return result.stdout;
}

export const podman = (args: string[], options?: RunOptions) => run("podman", args, options);

/**
 * Writes the private configuration. runc because crun refuses this kernel's hybrid
 * cgroups; cgroupfs because there is no systemd; the ulimits at the hard limits because
 * root here lacks CAP_SYS_RESOURCE and cannot raise a container's past them; every public registry blocked, so nothing is
 * ever pulled by accident (the stand-ins are made locally instead).
 */
export async function writePodmanConfig(): Promise<void> {
  for (const dir of [CONFIG_DIR, join(CONTAINER_TEST_ROOT, "networks"), CONTAINER_TEST_RUN]) {
    mkdirSync(dir, { recursive: true });
  }
  const hard = async (flag: string) => (await runOrThrow("bash", ["-c", `ulimit -H${flag}`])).trim();
  const nofile = await hard("n");
  // podman lowers its own (and so conmon's and runc's) process limit to pid_max.
  const pidMax = readFileSync("/proc/sys/kernel/pid_max", "utf8").trim();
  const nproc = String(Math.min(Number(await hard("u")), Number(pidMax)));
  writeFileSync(
    PODMAN_ENV.CONTAINERS_CONF!,
    `[containers]\ndefault_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]\n\n` +
      `[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n` +
      `events_logfile_path = "${join(CONTAINER_TEST_RUN, "events.log")}"\n\n` +
      `[network]\nnetwork_config_dir = "${join(CONTAINER_TEST_ROOT, "networks")}"\n`,
  );
  writeFileSync(
    PODMAN_ENV.CONTAINERS_REGISTRIES_CONF!,
    `unqualified-search-registries = []\n` +
      ["docker.io", "quay.io", "ghcr.io", "registry.fedoraproject.org", "registry.access.redhat.com"]
        .map((registry) => `\n[[registry]]\nlocation = "${registry}"\nblocked = true\n`)
        .join(""),
  );
  writeFileSync(
    PODMAN_ENV.CONTAINERS_STORAGE_CONF!,
    `[storage]\ndriver = "overlay"\ngraphroot = "${join(CONTAINER_TEST_ROOT, "storage")}"\n` +
      `runroot = "${join(CONTAINER_TEST_RUN, "storage")}"\n`,
  );
}

export interface PodmanService {
  socket: string;
  stop(): Promise<void>;
}

/** `podman system service` on this run's own socket (two runs at once each have theirs). */
export async function startPodmanService(): Promise<PodmanService> {
  const socket = join(CONTAINER_TEST_RUN, `podman-${process.pid}.sock`);
  const child: ChildProcess = spawn("podman", ["system", "service", "--time=0", `unix://${socket}`], {
    env: { ...process.env, ...PODMAN_ENV },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let attempt = 0; attempt < 100 && !existsSync(socket); attempt++) {
    if (child.exitCode !== null) throw new Error("podman system service exited at start");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const ping = await runOrThrow("curl", ["-sS", "--unix-socket", socket, "http://d/_ping"]);
  if (ping.trim() !== "OK") throw new Error(`podman's socket answered ${ping}`);
  return {
    socket,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** No container test runs this long: a stack older than this was left by a run that crashed. */
const STALE_STACK_AGE_SECONDS = 3 * 60 * 60;

/**
 * Removes the containers, networks and volumes of compose projects left by a crashed run
 * (their published ports and subnets would collide with new stacks); returns their names.
 */
export async function removeStaleStacks(): Promise<string[]> {
  const listed = await podman(["ps", "-a", "--filter", "label=com.docker.compose.project", "--format", "json"]);
  if (listed.code !== 0) return [];
  const containers = JSON.parse(listed.stdout || "[]") as { Created: number; Labels?: Record<string, string> }[];
  const now = Date.now() / 1000;
  const stale = new Set(
    containers
      .filter((container) => now - container.Created > STALE_STACK_AGE_SECONDS)
      .map((container) => container.Labels?.["com.docker.compose.project"])
      .filter((project): project is string => Boolean(project)),
  );
  for (const project of stale) {
    const label = `label=com.docker.compose.project=${project}`;
    const ids = (await podman(["ps", "-aq", "--filter", label])).stdout.split("\n").filter(Boolean);
    if (ids.length > 0) await podman(["rm", "-f", "-v", "-t", "0", ...ids]);
    for (const kind of ["network", "volume"]) {
      const names = (await podman([kind, "ls", "-q", "--filter", label])).stdout.split("\n").filter(Boolean);
      if (names.length > 0) await podman([kind, "rm", "-f", ...names]);
    }
  }
  return [...stale];
}

/**
 * netavark adds NETAVARK-* iptables chains and turns on ip_forward with the first network
 * and leaves both behind with the last. Once no container of ours runs, put them back.
 */
export async function cleanUpNetworking(): Promise<void> {
  const running = await podman(["ps", "-q"]);
  if (running.code !== 0 || running.stdout.trim() !== "") return;
  for (const table of ["nat", "filter"]) {
    const rules = await run("iptables", ["-t", table, "-S"]);
    // Jumps into netavark's chains first, then the chains themselves.
    for (const line of rules.stdout.split("\n").filter((rule) => rule.startsWith("-A ") && /NETAVARK/.test(rule))) {
      // Through sh: the rules carry quoted comments.
      if (!/^-A \S*NETAVARK/.test(line)) await run("sh", ["-c", `iptables -t ${table} -D ${line.slice(3)}`]);
    }
    for (const line of rules.stdout.split("\n").filter((rule) => /^-N .*NETAVARK/.test(rule))) {
      await run("iptables", ["-t", table, "-F", line.slice(3)]);
    }
    for (const line of rules.stdout.split("\n").filter((rule) => /^-N .*NETAVARK/.test(rule))) {
      await run("iptables", ["-t", table, "-X", line.slice(3)]);
    }
  }
  if (existsSync(IP_FORWARD_ORIGINAL)) writeFileSync(IP_FORWARD_PATH, readFileSync(IP_FORWARD_ORIGINAL, "utf8"));
}

/**
 * Notes ip_forward as the machine had it before the first container test since boot made a
 * network, once; each run that ends with no container left puts it back (runs may overlap).
 */
export async function rememberIpForward(): Promise<void> {
  if (existsSync(IP_FORWARD_ORIGINAL)) return;
  const running = await podman(["ps", "-q"]);
  if (running.code !== 0 || running.stdout.trim() !== "") return;
  writeFileSync(IP_FORWARD_ORIGINAL, readFileSync(IP_FORWARD_PATH, "utf8"));
}
