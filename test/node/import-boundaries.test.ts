/**
 * The tree is the architecture: each top-level folder may import only the
 * folders the style guide allows. This is the lint rule, run as a test.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "../support/server.ts";

const allowed: Record<string, string[]> = {
  protocol: [],
  db: [],
  rooms: ["protocol", "db"],
  functions: ["protocol", "db", "rooms"],
  e2ee: ["protocol"],
  web: ["protocol", "e2ee"],
  scripts: ["db", "protocol"],
};

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (name === "node_modules" || name === "dist") return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(/(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)]
    .map((match) => match[1] ?? match[2]!)
    .filter((specifier) => specifier.startsWith("."));
}

describe("imports between top-level folders", () => {
  for (const [folder, permitted] of Object.entries(allowed)) {
    it(`${folder}/ imports only ${permitted.length ? permitted.map((name) => `${name}/`).join(", ") : "nothing of ours"}`, () => {
      const violations: string[] = [];
      for (const file of sourceFiles(join(root, folder))) {
        for (const specifier of importsOf(file)) {
          const target = relative(root, resolve(file, "..", specifier)).split(sep)[0]!;
          const isOwnFolder = target === folder;
          const isRoomsEntry = folder === "functions" && target === "rooms" && specifier.endsWith("rooms/index.ts");
          const isPackageJson = target === "package.json";
          if (isOwnFolder || isPackageJson) continue;
          if (target === "rooms" && folder === "functions" && !isRoomsEntry) {
            violations.push(`${relative(root, file)} imports ${specifier}: functions/ may only import rooms/index.ts`);
          } else if (!permitted.includes(target)) {
            violations.push(`${relative(root, file)} imports ${specifier}`);
          }
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it.each(["protocol", "e2ee"])("%s/ uses no runtime-specific API", (folder) => {
    for (const file of sourceFiles(join(root, folder))) {
      const source = readFileSync(file, "utf8");
      expect(source, file).not.toMatch(/from\s+["'](node:|cloudflare:|partyserver|hono|drizzle)/);
      expect(source, file).not.toMatch(/\b(document|window|process|Buffer)\./);
    }
  });
});
