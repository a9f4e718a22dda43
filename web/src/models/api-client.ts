/**
 * JSON over HTTP to the Chatalot API. Every failure becomes an ApiError carrying
 * the server's `message`, which says in words what went wrong, ready to show.
 */
import type { ErrorView } from "../../../protocol/index.ts";

export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  readonly code: string;
  /** From a 429's Retry-After: how long until the server accepts this again. */
  readonly retryAfterSeconds: number | null;
  constructor(status: number, code: string, message: string, retryAfterSeconds: number | null = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface ApiRequest {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  accessToken?: string | null;
  headers?: Record<string, string>;
}

export async function requestJson<T>(path: string, request: ApiRequest = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...request.headers };
  if (request.body !== undefined) headers["Content-Type"] = "application/json";
  if (request.accessToken) headers.Authorization = `Bearer ${request.accessToken}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: request.method ?? "GET",
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      // The refresh cookie goes to our own origin only, never cross-site.
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network", "the server could not be reached: check your connection and try again");
  }
  // 204 No Content has no body: null stands for it.
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) return json as T;
  throw errorFrom(response, json);
}

function errorFrom(response: Response, json: unknown): ApiError {
  return apiErrorOf(response.status, response.statusText, response.headers.get("Retry-After"), json);
}

/** The ApiError for an answer that is not ok (also one read without fetch, e.g. by XMLHttpRequest). */
export function apiErrorOf(status: number, statusText: string, retryAfterHeader: string | null, json: unknown) {
  const error = (json as Partial<ErrorView> | null)?.error;
  const retryAfter = Number.parseInt(retryAfterHeader ?? "", 10);
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null;
  if (error && typeof error.code === "string" && typeof error.message === "string") {
    return new ApiError(status, error.code, error.message, retryAfterSeconds);
  }
  const message = `the server answered ${status} ${statusText}`.trim();
  return new ApiError(status, "unexpected", message, retryAfterSeconds);
}

/** The words to show for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError && error.status === 429 && error.retryAfterSeconds !== null)
    return withRetryTime(error);
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Lockouts and rate limits say when to come back in words ("try again in 2
 * minutes, at 14:05"), not as the raw timestamp some server messages carry.
 */
function withRetryTime(error: ApiError): string {
  const seconds = error.retryAfterSeconds ?? 0;
  const at = new Date(Date.now() + seconds * 1000).toLocaleTimeString(undefined, {
    hour: "numeric",
    minute: "2-digit",
  });
  const when = `try again ${retryDelayInWords(seconds)}, at ${at}`;
  switch (error.code) {
    case "locked_out":
      return `too many failed sign-ins: ${when}`;
    case "rate_limited":
      return `too many attempts from this network: ${when}`;
    default:
      return `${error.message.replace(/: try again.*$/, "")}: ${when}`;
  }
}

/** "in 30 seconds", "in 2 minutes", "in 1 hour", in the reader's language. */
function retryDelayInWords(seconds: number): string {
  const words = new Intl.RelativeTimeFormat(undefined, { numeric: "always" });
  if (seconds < 90) return words.format(Math.max(1, Math.round(seconds)), "second");
  if (seconds < 90 * 60) return words.format(Math.round(seconds / 60), "minute");
  return words.format(Math.round(seconds / 3600), "hour");
}
