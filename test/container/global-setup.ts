/**
 * Runs once before the container tests: podman configured and serving a socket of this
 * run's own, the stand-in base images made if missing (stand-ins.ts), and the project's own
 * Dockerfile built once as chatalot:local, timed and measured. Afterwards: the service
 * stopped and the networking netavark leaves behind put back.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import {
  CONTAINER_TEST_ROOT,
  cleanUpNetworking,
  podman,
  rememberIpForward,
  removeStaleStacks,
  runOrThrow,
  startPodmanService,
  writePodmanConfig,
  type PodmanService,
} from "./podman.ts";
import { ensureStandIns } from "./stand-ins.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** podman system service's socket for this run (stack.ts hands it to docker-compose). */
    podmanSocket: string;
    /** How long building the Dockerfile took (ms), and the image's size (bytes). */
    imageBuildMs: number;
    imageSizeBytes: number;
  }
}

export const IMAGE = "chatalot:local";
const BUILD_STAGE_IMAGE = "localhost/chatalot-build-stage:cache";
const repositoryRoot = join(import.meta.dirname, "..", "..");
const HOST_CA_DIR = "/usr/local/share/ca-certificates";

let service: PodmanService | undefined;

/**
 * The host's extra CA certificates as one file for NODE_EXTRA_CA_CERTS in the build stage,
 * where a TLS-intercepting proxy needs them (FIELD-NOTES.md); none on an ordinary machine.
 */
function buildCaArguments(): string[] {
  const certificates = existsSync(HOST_CA_DIR) ? readdirSync(HOST_CA_DIR).filter((name) => name.endsWith(".crt")) : [];
  if (certificates.length === 0) return [];
  const dir = join(CONTAINER_TEST_ROOT, "build-ca");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "ca.pem"),
    certificates.map((name) => readFileSync(join(HOST_CA_DIR, name), "utf8")).join("\n"),
  );
  return ["-v", `${dir}:/run/build-ca:ro`, "--build-arg", "NODE_EXTRA_CA_CERTS=/run/build-ca/ca.pem"];
}

/** `--format docker` keeps the HEALTHCHECK (the OCI format has none). */
async function buildImage(): Promise<{ buildMs: number; sizeBytes: number }> {
  const started = Date.now();
  await runOrThrow("podman", ["build", "--format", "docker", "-t", IMAGE, ...buildCaArguments(), repositoryRoot], {
    timeoutMs: 1_200_000,
  });
  const buildMs = Date.now() - started;
  const size = await runOrThrow("podman", ["image", "inspect", "--format", "{{.Size}}", IMAGE]);
  // The build stage, named (from the cache: seconds), so pruning spares it and its npm ci
  // layer however long ago they were built; the previous one, now nameless, can go.
  await runOrThrow("podman", [
    "build",
    "--format",
    "docker",
    "--target",
    "build",
    "-t",
    BUILD_STAGE_IMAGE,
    ...buildCaArguments(),
    repositoryRoot,
  ]);
  return { buildMs, sizeBytes: Number(size.trim()) };
}

export async function setup(project: TestProject): Promise<void> {
  await writePodmanConfig();
  service = await startPodmanService();
  await rememberIpForward();
  const stale = await removeStaleStacks();
  if (stale.length > 0) console.log(`container tests: removed stacks a crashed run left: ${stale.join(", ")}`);
  const standInsStarted = Date.now();
  const made = await ensureStandIns();
  if (made.length > 0) {
    console.log(
      `container tests: made the stand-ins ${made.join(", ")} in ${Math.round((Date.now() - standInsStarted) / 1000)} s`,
    );
  }
  const { buildMs, sizeBytes } = await buildImage();
  console.log(
    `container tests: built ${IMAGE} from the Dockerfile in ${(buildMs / 1000).toFixed(0)} s; ` +
      `image size ${(sizeBytes / 1_000_000).toFixed(0)} MB`,
  );
  // Each build leaves the previous build stage (2 GB) and the image it replaced nameless:
  // about 2 GB a source change. Pruning those older than half an hour keeps anything a run
  // beside this one is making.
  await podman(["image", "prune", "-f", "--filter", "until=30m"]);
  project.provide("podmanSocket", service.socket);
  project.provide("imageBuildMs", buildMs);
  project.provide("imageSizeBytes", sizeBytes);
}

export async function teardown(): Promise<void> {
  await service?.stop();
  await cleanUpNetworking();
}
