/** The instance settings in force: what an admin set at runtime, else the environment's. */
import type { Context } from "hono";
import { query } from "../db/index.ts";
import type { AppEnv } from "./context.ts";
import { registrationModeFrom } from "./registration-mode.ts";

export interface InstanceSettings {
  instanceName: string;
  registrationMode: string;
  communityCreationMode: "admin_only" | "open";
  uploadMaxBytes: number;
}

export async function instanceSettings(c: Context<AppEnv>): Promise<InstanceSettings> {
  const stored = await query(c.env.DATABASE, "instanceSettingsMap", {});
  const config = c.get("config");
  return {
    instanceName: typeof stored.instance_name === "string" ? stored.instance_name : "Chatalot",
    // From the same read: the registration mode is one of the stored settings.
    registrationMode: registrationModeFrom(stored.registration_mode, config),
    communityCreationMode:
      stored.community_creation_mode === "open" || stored.community_creation_mode === "admin_only"
        ? stored.community_creation_mode
        : config.COMMUNITY_CREATION_MODE,
    uploadMaxBytes: typeof stored.upload_max_bytes === "number" ? stored.upload_max_bytes : config.UPLOAD_MAX_BYTES,
  };
}
