/**
 * Every request gets an id, is counted and timed by route pattern (never the raw path,
 * which holds ids and would make a series per channel), and leaves one log line. The id
 * goes back in X-Request-Id and in error bodies, so a person's report finds its line.
 * It runs before the configuration is read, so a refused configuration is logged too.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { count, log, observe, setLogLevel, type LogFields } from "../db/index.ts";
import { isFromTrustedProxy } from "./client-address.ts";
import { readConfig, type Config } from "./config.ts";
import type { AppEnv } from "./context.ts";

export const REQUEST_ID_HEADER = "X-Request-Id";
/** What a proxy's id may look like: short, and nothing a log reader could mistake for structure. */
const FORWARDED_ID = /^[A-Za-z0-9._:-]{8,128}$/;
/**
 * Methods named in the series; any other counts as "other", so a client cannot mint series.
 * (workerd answers unknown methods itself; a runtime that passes them on meets this.)
 */
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
/** Probes and scrapes, every few seconds all day: worth a line only when debugging. */
const QUIET_ROUTES = new Set(["/health", "/metrics"]);

export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  const config = configOrNull(c.env);
  if (config) setLogLevel(config.LOG_LEVEL);
  const requestId = forwardedId(c, config) ?? crypto.randomUUID();
  c.set("requestId", requestId);
  await next();
  c.header(REQUEST_ID_HEADER, requestId);
  const seconds = (performance.now() - started) / 1000;
  const route = c.req.routePath;
  const status = c.res.status;
  const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : "other";
  count("chatalot_http_requests_total", { method, route, status: String(status) });
  observe("chatalot_http_request_duration_seconds", seconds, { method, route });
  const fields: LogFields = {
    requestId,
    method,
    route,
    status,
    durationMs: Math.round(seconds * 1000),
    userId: c.get("userId") ?? null,
  };
  if (config?.LOG_IP_ADDRESSES) fields.ip = c.get("client")?.ip ?? null;
  if (QUIET_ROUTES.has(route)) log.debug("request", fields);
  else log.info("request", fields);
});

/** An id from outside only when a trusted proxy sent it (it logs the same one); otherwise ours. */
function forwardedId(c: Context<AppEnv>, config: Config | null): string | null {
  const header = c.req.header(REQUEST_ID_HEADER);
  if (!header || !config || !FORWARDED_ID.test(header) || !isFromTrustedProxy(c, config)) return null;
  return header;
}

/** Start-up reports a bad configuration itself; the log line must not fail because of it. */
function configOrNull(env: object): Config | null {
  try {
    return readConfig(env);
  } catch {
    return null;
  }
}
