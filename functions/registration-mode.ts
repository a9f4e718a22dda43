/** The registration mode in force: the admin's runtime setting, else REGISTRATION_MODE. */
import type { Context } from "hono";
import { query } from "../db/index.ts";
import { REGISTRATION_MODES, type Config, type RegistrationMode } from "./config.ts";
import type { AppEnv } from "./context.ts";

export async function registrationMode(c: Context<AppEnv>): Promise<RegistrationMode> {
  return registrationModeFrom(await query(c.env.DATABASE, "registrationModeSetting", {}), c.get("config"));
}

/** The mode from a stored value (which may be absent or stale), falling back to the environment. */
export function registrationModeFrom(stored: unknown, config: Config): RegistrationMode {
  return typeof stored === "string" && (REGISTRATION_MODES as readonly string[]).includes(stored)
    ? (stored as RegistrationMode)
    : config.REGISTRATION_MODE;
}
