/**
 * The configuration an operator reads is the configuration the code reads: every
 * variable in `.env.example` and in README.md's Configuration tables is read by some
 * part of Chatalot (the server through workerd's environment, the entrypoint, Docker
 * Compose, the operator scripts, `npm start`), and every variable those read is
 * documented there. Read from the files themselves, so a new setting cannot land
 * undocumented and a removed one cannot linger in the README.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "../support/server.ts";

const read = (path: string) => readFileSync(join(root, path), "utf8");

/** Names in the first column of every table under README.md's `## Configuration`. */
function readmeConfigurationNames(): Set<string> {
  const readme = read("README.md");
  const section = readme.slice(readme.indexOf("\n## Configuration\n"));
  const body = section.slice(0, section.indexOf("\n## ", 1));
  const names = new Set<string>();
  for (const line of body.split("\n")) {
    if (!line.startsWith("| `")) continue;
    const firstCell = line.split("|")[1] ?? "";
    for (const match of firstCell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(match[1]!);
  }
  return names;
}

function envExampleNames(): Set<string> {
  return new Set([...read(".env.example").matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]!));
}

/** Variables a shell script reads from its environment: referenced before (or without) being set there. */
function shellReads(path: string): Set<string> {
  const text = read(path);
  const names = new Set<string>();
  const firstAssignment = new Map<string, number>();
  for (const match of text.matchAll(/^\s*(?:export\s+)?([A-Z][A-Z0-9_]+)=/gm))
    if (!firstAssignment.has(match[1]!)) firstAssignment.set(match[1]!, match.index);
  for (const match of text.matchAll(/(?<!\$)\$\{?([A-Z][A-Z0-9_]+)/g)) {
    const assignedAt = firstAssignment.get(match[1]!);
    const hasDefault = text.slice(match.index).match(/^\$\{[A-Z0-9_]+:?[-?=]/);
    if (assignedAt === undefined || match.index < assignedAt || hasDefault) names.add(match[1]!);
  }
  // `read_secret VALUE VALUE_FILE` (serve.sh) reads the file named by its second argument.
  for (const match of text.matchAll(/^read_secret [A-Z0-9_]+ ([A-Z0-9_]+)$/gm)) names.add(match[1]!);
  return names;
}

function codeReads(): Map<string, string> {
  const readers = new Map<string, string>();
  const add = (names: Iterable<string>, where: string) => {
    for (const name of names) if (!readers.has(name)) readers.set(name, where);
  };
  add(
    [...read("workerd/chatalot.capnp").matchAll(/fromEnvironment = "([A-Z0-9_]+)"/g)].map((match) => match[1]!),
    "workerd/chatalot.capnp",
  );
  for (const script of [
    "scripts/serve.sh",
    "scripts/generate-secrets.sh",
    "scripts/generate-keys.sh",
    "scripts/update.sh",
  ])
    add(shellReads(script), script);
  add(shellReads("docker-compose.yml"), "docker-compose.yml");
  for (const script of ["scripts/start.ts", "scripts/dev.ts"])
    add(
      [...read(script).matchAll(/process\.env\.([A-Z][A-Z0-9_]+)/g)].map((match) => match[1]!),
      script,
    );
  return readers;
}

/** Read by our code but not Chatalot's settings: the system's own variables. */
const SYSTEM_VARIABLES = new Set(["TMPDIR", "HOME", "PATH"]);

describe("configuration documentation", () => {
  const documented = readmeConfigurationNames();
  const example = envExampleNames();
  const readers = codeReads();

  it("finds the tables and the code it compares (a parse that found nothing would pass anything)", () => {
    expect(documented.size).toBeGreaterThan(30);
    expect(example.size).toBeGreaterThan(15);
    expect(readers.get("PUBLIC_URL")).toBe("workerd/chatalot.capnp");
    expect(readers.get("STARTUP_TIMEOUT_SECS")).toBe("scripts/serve.sh");
    expect(readers.get("HTTP_PORT")).toBe("docker-compose.yml");
    expect(readers.get("PGLITE_PORT")).toBe("scripts/start.ts");
  });

  it("documents in README.md every variable of .env.example", () => {
    expect([...example].filter((name) => !documented.has(name))).toEqual([]);
  });

  it("reads every variable that .env.example and README.md document", () => {
    const unread = [...new Set([...documented, ...example])].filter((name) => !readers.has(name));
    expect(unread).toEqual([]);
  });

  it("documents every variable the server, the entrypoint, Compose and the scripts read", () => {
    const undocumented = [...readers]
      .filter(([name]) => !documented.has(name) && !SYSTEM_VARIABLES.has(name))
      .map(([name, where]) => `${name} (read by ${where})`);
    expect(undocumented).toEqual([]);
  });
});
