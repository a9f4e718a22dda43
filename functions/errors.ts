/** The one error type handlers throw for expected failures; `onError` renders it. */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./context.ts";

export class AppError extends Error {
  override name = "AppError";
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: ContentfulStatusCode, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export const unauthorized = (message = "sign in first: send `Authorization: Bearer <access token>`") =>
  new AppError(401, "unauthorized", message);
export const notFound = (what: string) => new AppError(404, "not_found", `${what} does not exist`);

/**
 * The `error` object of every error body: code, message, anything the answer adds, and the
 * request's id (X-Request-Id, functions/request-log.ts), which finds its line in the log.
 */
export function errorFields<T extends object>(c: Context<AppEnv>, code: string, message: string, extra?: T) {
  return { code, message, ...extra, requestId: c.get("requestId") };
}
