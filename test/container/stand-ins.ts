/**
 * The base images Chatalot's Dockerfile and docker-compose.yml name, made locally because
 * no registry is reachable from the test machines. They are STAND-INS, not the official
 * images: Debian bookworm from debootstrap as debian:bookworm-slim, and on it Node 22 (from
 * node_modules), Debian's PostgreSQL 15 and Debian's coturn 4.6 under the official names.
 * Each is made only when podman's storage (kept across runs) does not have it yet.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { podman, runOrThrow } from "./podman.ts";

const STAND_INS = join(import.meta.dirname, "stand-ins");
const repositoryRoot = join(import.meta.dirname, "..", "..");
// The mirror the host's apt already uses (and the build's apt-get reaches over plain HTTP).
const DEBIAN_MIRROR = "http://deb.debian.org/debian";

const SLIM_DPKG_EXCLUDES = [
  "path-exclude /usr/share/doc/*",
  "path-include /usr/share/doc/*/copyright",
  "path-exclude /usr/share/man/*",
  "path-exclude /usr/share/groff/*",
  "path-exclude /usr/share/info/*",
  "path-exclude /usr/share/lintian/*",
  "path-exclude /usr/share/locale/*",
  "path-include /usr/share/locale/locale.alias",
  "",
].join("\n");

// And its apt settings: no package caches or translations left in a layer after an install.
const SLIM_APT_CONFIG = {
  "docker-clean":
    'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\n' +
    'APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\n' +
    'Dir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n',
  "docker-no-languages": 'Acquire::Languages "none";\n',
  "docker-gzip-indexes": 'Acquire::GzipIndexes "true";\n',
};

export const STAND_IN_IMAGES = {
  debian: "docker.io/library/debian:bookworm-slim",
  node: "docker.io/library/node:22.23-bookworm-slim",
  postgres: "docker.io/library/postgres:17.9-bookworm",
  coturn: "docker.io/coturn/coturn:4.17.0-r0-debian",
} as const;

async function hasImage(name: string): Promise<boolean> {
  return (await podman(["image", "exists", name])).code === 0;
}

/** A minbase root filesystem, without apt's caches (the Dockerfile runs apt-get update itself). */
async function makeDebian(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "chatalot-debootstrap-"));
  try {
    const rootfs = join(work, "rootfs");
    await runOrThrow("debootstrap", ["--variant=minbase", "bookworm", rootfs, DEBIAN_MIRROR], { timeoutMs: 900_000 });
    // What makes the official image "slim": no documentation, manuals or translations, now
    // or from later installs (debuerreotype's dpkg excludes), and no apt caches.
    writeFileSync(join(rootfs, "etc/dpkg/dpkg.cfg.d/docker"), SLIM_DPKG_EXCLUDES);
    for (const [name, text] of Object.entries(SLIM_APT_CONFIG))
      writeFileSync(join(rootfs, "etc/apt/apt.conf.d", name), text);
    await runOrThrow("sh", [
      "-c",
      `cd "$1" && find usr/share/doc -mindepth 1 ! -name copyright ! -type d -delete && ` +
        `rm -rf usr/share/man/* usr/share/groff/* usr/share/info/* usr/share/lintian/* && ` +
        `find usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} + && ` +
        `find var/cache/apt/archives var/lib/apt/lists -mindepth 1 -maxdepth 1 ! -name lock ! -name partial -exec rm -rf {} +`,
      "-",
      rootfs,
    ]);
    await runOrThrow("sh", [
      "-c",
      `tar --numeric-owner -C "$1" -c . | podman import --change 'CMD ["bash"]' - "$2"`,
      "-",
      rootfs,
      STAND_IN_IMAGES.debian,
    ]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function build(image: string, containerfile: string, context: string): Promise<void> {
  await runOrThrow("podman", ["build", "--format", "docker", "-t", image, "-f", containerfile, context], {
    timeoutMs: 900_000,
  });
}

/** Node: the binary npm installed for this checkout, and the host's npm beside it. */
async function makeNode(): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), "chatalot-node-stand-in-"));
  try {
    cpSync(join(repositoryRoot, "node_modules", "node", "bin", "node"), join(context, "node"));
    const npmCli = (await runOrThrow("sh", ["-c", 'readlink -f "$(command -v npm)"'])).trim();
    cpSync(dirname(dirname(npmCli)), join(context, "npm"), { recursive: true });
    await build(STAND_IN_IMAGES.node, join(STAND_INS, "node.Containerfile"), context);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** Makes each missing stand-in; returns the names it made (none on a warm machine). */
export async function ensureStandIns(): Promise<string[]> {
  const made: string[] = [];
  if (!(await hasImage(STAND_IN_IMAGES.debian))) {
    await makeDebian();
    made.push(STAND_IN_IMAGES.debian);
  }
  const builds: [string, () => Promise<void>][] = [
    [STAND_IN_IMAGES.node, makeNode],
    [
      STAND_IN_IMAGES.postgres,
      () => build(STAND_IN_IMAGES.postgres, join(STAND_INS, "postgres.Containerfile"), STAND_INS),
    ],
    [STAND_IN_IMAGES.coturn, () => build(STAND_IN_IMAGES.coturn, join(STAND_INS, "coturn.Containerfile"), STAND_INS)],
  ];
  for (const [image, make] of builds) {
    if (await hasImage(image)) continue;
    await make();
    made.push(image);
  }
  return made;
}
