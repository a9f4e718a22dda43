/**
 * The password-hashing entrypoint, served by its own workerd process in the
 * self-hosted configuration so that hashing never blocks the chat process's
 * thread. Reachable only through a private socket; it keeps no state.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import type { HasherRequest } from "./passwords.ts";
import { scryptHash, scryptNothing, scryptVerify } from "./scrypt.ts";

const BODY_MAX_BYTES = 4 * 1024;

export class PasswordHasher extends WorkerEntrypoint {
  override async fetch(request: Request): Promise<Response> {
    if (request.method !== "POST") return new Response("POST only", { status: 405 });
    const text = await request.text();
    if (text.length > BODY_MAX_BYTES) return new Response("too large", { status: 413 });
    const job = JSON.parse(text) as HasherRequest;
    switch (job.op) {
      case "hash":
        return Response.json({ result: await scryptHash(job.password) });
      case "verify":
        return Response.json({ result: await scryptVerify(job.password, job.stored) });
      case "nothing":
        return Response.json({ result: await scryptNothing(job.password) });
      default:
        return new Response("unknown operation", { status: 400 });
    }
  }
}
