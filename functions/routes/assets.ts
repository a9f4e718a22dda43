/**
 * Everything that is not an API route is the web app, from Wrangler's asset binding
 * or, self-hosted, workerd's disk service, which knows no content types and serves
 * no index.html for app routes: both are decided here.
 */
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";

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
  if (path === null) return c.json({ error: { code: "not_found", message: "no such page" } }, 404);
  if (path === "/admin-assets" || path.startsWith("/admin-assets/")) {
    return c.json({ error: { code: "forbidden", message: "the admin page is for instance admins" } }, 403);
  }
  url.pathname = path;
  const extension = url.pathname.split("/").pop()?.split(".").slice(1).pop();
  // Every file we serve has an extension. A path without one is an app route or a
  // directory, whose JSON listing workerd's disk service would give away: serve the app.
  let response =
    url.pathname.endsWith("/") || !extension
      ? new Response(null, { status: 404 })
      : await c.env.ASSETS.fetch(new Request(url, { method: c.req.method }));
  if (response.status === 404 && !extension) {
    // An app route such as /channels/abc: serve the single-page app. /admin is its own
    // page: a small public shell that loads the admin code from /admin-assets, for admins only.
    const page = url.pathname === "/admin" || url.pathname.startsWith("/admin/") ? "/admin.html" : "/index.html";
    response = await c.env.ASSETS.fetch(new Request(new URL(page, url), { method: c.req.method }));
  }
  if (!response.ok) return c.json({ error: { code: "not_found", message: "no such page" } }, 404);
  const headers = new Headers(response.headers);
  // workerd's disk service labels every file application/octet-stream, which browsers
  // refuse for scripts and styles under nosniff; name the types we serve ourselves.
  const type = CONTENT_TYPES[extension ?? "html"];
  if (type) headers.set("Content-Type", type);
  // Vite fingerprints everything under /assets/; the HTML itself must never be cached.
  headers.set(
    "Cache-Control",
    url.pathname.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
  );
  return new Response(response.body, { status: response.status, headers });
});
