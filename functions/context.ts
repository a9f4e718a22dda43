/** The Hono environment: bindings from wrangler/workerd and per-request variables. */
import type { UserRecord } from "../db/index.ts";
import type { Config } from "./config.ts";

export interface Client {
  ip: string | null;
  userAgent: string | null;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** Set first of all (functions/request-log.ts): in the X-Request-Id header, error bodies and the log. */
    requestId: string;
    config: Config;
    client: Client;
    /** Set by requireUser from a verified token whose session is still live. */
    user: UserRecord;
    userId: string;
    sessionId: string;
  };
}
