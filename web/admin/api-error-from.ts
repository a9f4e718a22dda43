/** A failed API response as an ApiError carrying the server's words, read without consuming the response. */
import { ApiError } from "../src/models/api-client.ts";

export async function apiErrorFrom(response: Response): Promise<ApiError> {
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { error?: { code?: unknown; message?: unknown } } | null;
  const { code, message } = body?.error ?? {};
  const retryAfter = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null;
  if (typeof code === "string" && typeof message === "string") {
    return new ApiError(response.status, code, message, retryAfterSeconds);
  }
  const words = `the server answered ${response.status} ${response.statusText}`.trim();
  return new ApiError(response.status, "unexpected", words, retryAfterSeconds);
}
