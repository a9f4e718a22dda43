/**
 * The admin page's door to the API, through the shell's authorised fetch: JSON in
 * and out, every failure an ApiError with the server's words, ready to show.
 */
import { ApiError } from "../../../src/models/api-client.ts";
import type { AdminHost } from "../../admin-host.ts";
import { apiErrorFrom } from "../../api-error-from.ts";
import type { Reauthentication } from "./reauthentication-model.ts";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export function createAdminApi(host: AdminHost, reauthentication: Reauthentication) {
  /** The last proof of re-authentication (ten minutes, this session only), sent with every call. */
  let elevation: string | null = null;

  async function attempt(method: Method, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (elevation) headers["X-Chatalot-Elevation"] = elevation;
    return host.fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  /** Asks for the password (and code) until the server accepts them; false when the admin cancels. */
  async function elevate(): Promise<boolean> {
    let error: string | null = null;
    for (;;) {
      const proof = await reauthentication.ask(error);
      if (!proof) return false;
      const response = await attempt("POST", "/api/admin/elevate", proof);
      if (response.ok) {
        elevation = ((await response.json()) as { elevation: string }).elevation;
        return true;
      }
      const refused = await apiErrorFrom(response);
      // Locked out or rate limited: asking again would not help.
      if (response.status === 429) throw refused;
      error = refused.message;
    }
  }

  async function send(method: Method, path: string, body?: unknown): Promise<Response> {
    let response = await attempt(method, path, body);
    if (response.status === 403) {
      const refused = await apiErrorFrom(response);
      if (refused.code !== "reauthentication_required") throw refused;
      if (!(await elevate())) throw refused;
      response = await attempt(method, path, body);
    }
    if (!response.ok) throw await apiErrorFrom(response);
    return response;
  }

  async function json<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const response = await send(method, path, body);
    // 204 No Content: null stands for it.
    if (response.status === 204) return null as T;
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError(response.status, "unexpected", "the server's answer could not be read: try again");
    }
  }

  return {
    get: <T>(path: string) => json<T>("GET", path),
    post: <T>(path: string, body?: unknown) => json<T>("POST", path, body),
    put: <T>(path: string, body: unknown) => json<T>("PUT", path, body),
    patch: <T>(path: string, body: unknown) => json<T>("PATCH", path, body),
    delete: (path: string) => json<null>("DELETE", path),
    /** A file the API serves (the audit log as CSV), for saving. */
    file: async (path: string): Promise<Blob> => (await send("GET", path)).blob(),
  };
}

export type AdminApi = ReturnType<typeof createAdminApi>;

/** A query string from the parameters that have a value. */
export function queryString(parameters: Record<string, string | number | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== null && value !== undefined && value !== "") query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}
