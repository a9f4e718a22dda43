/**
 * How an end-to-end encrypting device reaches the server: JSON requests as its
 * session, the same interface in the browser and in Node tests.
 */
export type Method = "GET" | "POST" | "PUT" | "DELETE";

/** JSON to the API as this device's session; a non-2xx answer throws an error with `status` and `code`. */
export interface DeviceTransport {
  request<T>(method: Method, path: string, body?: unknown): Promise<T>;
}

/**
 * The status and error code of a request the server answered and refused; null for
 * any other error, no answer at all included (a transport may report that as status 0).
 */
export function failureOf(error: unknown): { status: number; code: string } | null {
  const candidate = error as { status?: unknown; code?: unknown } | null;
  return typeof candidate?.status === "number" && candidate.status > 0 && typeof candidate.code === "string"
    ? { status: candidate.status, code: candidate.code }
    : null;
}

/** A request that failed on the way (refused, or never answered), rather than a cryptographic or local error. */
export function isRequestError(error: unknown): boolean {
  return typeof (error as { status?: unknown } | null)?.status === "number" || error instanceof TypeError;
}
