/** Parsing request input against protocol schemas, with errors that say what to fix. */
import type { Context } from "hono";
import type { z } from "zod";
import { AppError } from "./errors.ts";

export function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) =>
    issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
  );
  throw new AppError(400, "invalid_request", details.join("; "));
}

export async function parseJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError(400, "invalid_json", "the request body must be a JSON object");
  }
  return parse(schema, body);
}
