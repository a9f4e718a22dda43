/** The Hono environment: bindings from wrangler/workerd and per-request variables. */
import type { Config } from "./config.ts";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    config: Config;
    /** Set by requireUser: the verified user id from the access token. */
    userId: string;
  };
}
