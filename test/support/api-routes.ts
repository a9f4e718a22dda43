/**
 * Every HTTP route of the app, read from the source the way Hono mounts it: app.ts
 * mounts sub-apps under prefixes, route files chain `.get("/path", ...)` and mount
 * further sub-apps with `.route("/", other)`. Node cannot import the app (it needs
 * workerd), so the fuzz test reads the routes from the files; it checks that it found
 * the ones it knows, so a parse that finds nothing fails instead of passing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./server.ts";

export interface ApiRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** The handler reads a JSON body (parseJson). */
  readsJsonBody: boolean;
  /** The handler reads the query string. */
  readsQuery: boolean;
}

const functionsDir = join(root, "functions");

/** `import { a, b } from "./x.ts"` in `file`: local name -> absolute file. */
function importsOf(file: string): Map<string, string> {
  const text = readFileSync(file, "utf8");
  const imports = new Map<string, string>();
  for (const match of text.matchAll(/import \{([^}]+)\} from "(\.[^"]+)";/g)) {
    for (const name of match[1]!.split(",").map((part) => part.trim().replace(/^type /, ""))) {
      const local = name.split(" as ").pop()!.trim();
      if (local) imports.set(local, join(file, "..", match[2]!));
    }
  }
  return imports;
}

function routesOf(file: string, exported: string, prefix: string, found: ApiRoute[]): void {
  const text = readFileSync(file, "utf8");
  const start = text.search(new RegExp(`export const ${exported}\\b`));
  if (start < 0) throw new Error(`${file} exports no ${exported}`);
  // The exported sub-app's chain, up to the next export of the file.
  const next = text.indexOf("\nexport ", start + 1);
  const chain = text.slice(start, next < 0 ? text.length : next);
  const imports = importsOf(file);
  // A route call starts a line of the chain, or follows `new Hono<AppEnv>()` directly.
  const calls = [
    ...chain.matchAll(
      /(?:\n\s*|new Hono<AppEnv>\(\))\.(get|post|put|patch|delete|route)\(\s*"([^"]*)"(?:,\s*([A-Za-z]+))?/g,
    ),
  ];
  for (const [index, call] of calls.entries()) {
    const [, verb, path, mounted] = call;
    if (verb === "route") {
      const target = imports.get(mounted!);
      if (!target) throw new Error(`${file}: cannot find the file of ${mounted}`);
      routesOf(target, mounted!, join(prefix, path!).replace(/\/$/, ""), found);
      continue;
    }
    const handler = chain.slice(call.index, calls[index + 1]?.index ?? chain.length);
    found.push({
      method: verb!.toUpperCase() as ApiRoute["method"],
      path: `${prefix}${path === "/" ? "" : path}` || "/",
      // parseJson directly, or a helper behind the body limit (every body reader has one).
      readsJsonBody: handler.includes("parseJson(") || handler.includes("limitBody"),
      readsQuery: handler.includes("c.req.query(") || handler.includes("c.req.queries("),
    });
  }
}

export function apiRoutes(): ApiRoute[] {
  const appFile = join(functionsDir, "app.ts");
  const text = readFileSync(appFile, "utf8");
  const imports = importsOf(appFile);
  const found: ApiRoute[] = [];
  for (const match of text.matchAll(/\.route\("(\/api\/[^"]*)", ([A-Za-z]+)\)/g)) {
    routesOf(imports.get(match[2]!)!, match[2]!, match[1]!, found);
  }
  return found;
}
