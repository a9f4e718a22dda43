/**
 * Everything that is not an API route is the web app, from Wrangler's asset binding
 * or, self-hosted, workerd's disk service, which knows no content types and serves
 * no index.html for app routes: both are decided here. So is compression: the
 * build writes brotli and gzip copies beside every text file
 * (scripts/precompress-web.ts), served to a browser that accepts them.
 */
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { errorFields } from "../errors.ts";

const CONTENT_TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  json: "application/json",
  webmanifest: "application/manifest+json",
  woff2: "font/woff2",
  txt: "text/plain; charset=utf-8",
};

/** Files that have precompressed copies; other types (images, fonts) are compressed already. */
const COMPRESSIBLE = new Set(["html", "js", "css", "svg", "json", "webmanifest", "txt"]);

/** The copies the build writes, best first, by the Accept-Encoding token that accepts each. */
const ENCODINGS = [
  { token: "br", suffix: ".br" },
  { token: "gzip", suffix: ".gz" },
] as const;

/** Whether Accept-Encoding accepts `token` (listed, and not with q=0). */
function accepts(acceptEncoding: string, token: string): boolean {
  return acceptEncoding.split(",").some((item) => {
    const [name, ...parameters] = item.trim().toLowerCase().split(";");
    if (name !== token && name !== "*") return false;
    const quality = parameters.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return quality === undefined || Number(quality.slice(2)) > 0;
  });
}

/**
 * The file at `url` from the asset store, as a precompressed copy when the browser
 * accepts one and the build made it (its encoding beside it), else as it is.
 */
async function fetchAsset(
  store: Fetcher,
  url: URL,
  method: string,
  acceptEncoding: string,
): Promise<{ response: Response; encoding: string | null }> {
  for (const { token, suffix } of ENCODINGS) {
    if (!accepts(acceptEncoding, token)) continue;
    const copy = await store.fetch(new Request(new URL(`${url.pathname}${suffix}`, url), { method }));
    if (copy.ok) return { response: copy, encoding: token };
  }
  return { response: await store.fetch(new Request(url, { method })), encoding: null };
}

/**
 * The path as the asset store will read it: percent-escapes decoded, `.` and `..`
 * resolved, repeated slashes folded. Null when it cannot be decoded.
 */
function storePath(rawPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  // No file of ours has a % in its name; one left after decoding would be decoded again by
  // the asset store (%2561 -> %61 -> a), past the check below.
  if (decoded.includes("%")) return null;
  const segments: string[] = [];
  for (const segment of decoded.split(/[/\\]+/)) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join("/")}${decoded.endsWith("/") && segments.length > 0 ? "/" : ""}`;
}

export const assets = new Hono<AppEnv>().on(["GET", "HEAD"], "*", async (c) => {
  const url = new URL(c.req.url);
  // Routing sees the raw path, the asset store a decoded and normalised one: neither
  // /x/../admin-assets/admin.js, //admin-assets/admin.js nor /%61dmin-assets/admin.js may
  // reach the admin code by this door. Only the admin-assets route serves it.
  const path = storePath(url.pathname);
  if (path === null) return c.json({ error: errorFields(c, "not_found", "no such page") }, 404);
  if (path === "/admin-assets" || path.startsWith("/admin-assets/")) {
    return c.json({ error: errorFields(c, "forbidden", "the admin page is for instance admins") }, 403);
  }
  url.pathname = path;
  const extension = url.pathname.split("/").pop()?.split(".").slice(1).pop();
  const compressible = COMPRESSIBLE.has(extension ?? "html");
  const acceptEncoding = compressible ? (c.req.header("Accept-Encoding") ?? "") : "";
  // Every file we serve has an extension. A path without one is an app route or a
  // directory, whose JSON listing workerd's disk service would give away: serve the app.
  let served =
    url.pathname.endsWith("/") || !extension
      ? { response: new Response(null, { status: 404 }), encoding: null }
      : await fetchAsset(c.env.ASSETS, url, c.req.method, acceptEncoding);
  if (served.response.status === 404 && !extension) {
    // An app route such as /channels/abc: serve the single-page app. /admin is its own
    // page: a small public shell that loads the admin code from /admin-assets, for admins only.
    const page = url.pathname === "/admin" || url.pathname.startsWith("/admin/") ? "/admin.html" : "/index.html";
    served = await fetchAsset(c.env.ASSETS, new URL(page, url), c.req.method, acceptEncoding);
  }
  const { response, encoding } = served;
  if (!response.ok) return c.json({ error: errorFields(c, "not_found", "no such page") }, 404);
  const headers = new Headers(response.headers);
  // workerd's disk service labels every file application/octet-stream, which browsers
  // refuse for scripts and styles under nosniff; name the types we serve ourselves.
  const type = CONTENT_TYPES[extension ?? "html"];
  if (type) headers.set("Content-Type", type);
  if (compressible) headers.set("Vary", "Accept-Encoding");
  if (encoding) headers.set("Content-Encoding", encoding);
  // Vite fingerprints everything under /assets/; the HTML and the service worker
  // (whose updates the browser must see at once) are never cached.
  headers.set(
    "Cache-Control",
    url.pathname.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
  );
  // The bytes are compressed already: the runtime must send them as they are.
  return new Response(response.body, {
    status: response.status,
    headers,
    encodeBody: encoding ? "manual" : "automatic",
  });
});
