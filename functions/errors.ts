/** The one error type handlers throw for expected failures; `onError` renders it. */
import type { ContentfulStatusCode } from "hono/utils/http-status";

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const unauthorized = (message = "sign in first: send `Authorization: Bearer <access token>`") =>
  new AppError(401, "unauthorized", message);
export const notFound = (what: string) => new AppError(404, "not_found", `${what} does not exist`);
