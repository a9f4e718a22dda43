/**
 * JSON over HTTP to the Chatalot API. Every failure becomes an ApiError carrying
 * the server's `message`, which says in words what went wrong, ready to show.
 */
import type { ErrorView } from "../../../protocol/index.ts";

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiRequest {
  method?: "GET" | "POST";
  body?: unknown;
  accessToken?: string | null;
}

export async function requestJson<T>(path: string, request: ApiRequest = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (request.body !== undefined) headers["Content-Type"] = "application/json";
  if (request.accessToken) headers.Authorization = `Bearer ${request.accessToken}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: request.method ?? "GET",
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
  } catch {
    throw new ApiError(0, "network", "the server could not be reached: check your connection and try again");
  }
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) return json as T;
  throw errorFrom(response, json);
}

function errorFrom(response: Response, json: unknown): ApiError {
  const error = (json as Partial<ErrorView> | null)?.error;
  if (error && typeof error.code === "string" && typeof error.message === "string") {
    return new ApiError(response.status, error.code, error.message);
  }
  return new ApiError(response.status, "unexpected", `the server answered ${response.status} ${response.statusText}`.trim());
}

/** The words to show for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
