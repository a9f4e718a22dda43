/**
 * The worker's entry: the Hono app answers HTTP; the Durable Object classes and
 * the PostgreSQL bridge entrypoint are exported for the runtime to instantiate.
 */
import { app } from "./app.ts";

export { Database, PostgresBridge } from "../db/index.ts";
export { FileRemoval } from "./file-removal.ts";
export { PasswordHasher } from "./password-hasher.ts";
export { RateLimits } from "./rate-limits.ts";
export { UploadHousekeeping } from "./storage/upload-housekeeping.ts";
export { ChannelRoom, CommunityHub, PushQueue, UserSockets } from "../rooms/index.ts";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
