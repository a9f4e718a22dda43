/** Parsing request input against protocol schemas, with errors that say what to fix. */
import type { Context } from "hono";
import type { z } from "zod";
import { isUnstorableText } from "../protocol/index.ts";
import { AppError } from "./errors.ts";

/** Deeper than any request shape of ours; walking deeper input would only cost the server. */
const INPUT_DEPTH_MAX = 16;

export function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  refuseUnstorable(input);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) =>
    issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
  );
  throw new AppError(400, "invalid_request", details.join("; "));
}

/**
 * Every string in the input, keys included, at any depth, checked before any schema
 * (whose text fields check more): a string PostgreSQL cannot store never reaches a
 * query, whichever field or route carries it, so no request fails half way through.
 */
function refuseUnstorable(input: unknown): void {
  const pending: { value: unknown; depth: number }[] = [{ value: input, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value === "string") {
      if (isUnstorableText(value))
        throw new AppError(400, "invalid_text", "text must be valid Unicode without NUL characters");
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth >= INPUT_DEPTH_MAX) throw new AppError(400, "invalid_request", "the input is nested too deeply");
    for (const [key, item] of Object.entries(value))
      pending.push({ value: key, depth }, { value: item, depth: depth + 1 });
  }
}

/**
 * JSON bodies only as `Content-Type: application/json`: a cross-site HTML form can send
 * `text/plain` whose body happens to be JSON without any CORS check, but not this type.
 */
export async function parseJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const type = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json")
    throw new AppError(415, "unsupported_media_type", "send the body as JSON with `Content-Type: application/json`");
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError(400, "invalid_json", "the request body must be a JSON object");
  }
  return parse(schema, body);
}
