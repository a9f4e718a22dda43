/** The registration mode in force: the admin's runtime setting, else REGISTRATION_MODE. */
import type { Context } from "hono";
import { query } from "../db/index.ts";
import { REGISTRATION_MODES, type RegistrationMode } from "./config.ts";
import type { AppEnv } from "./context.ts";

export async function registrationMode(c: Context<AppEnv>): Promise<RegistrationMode> {
  const stored = await query(c.env.DATABASE, "registrationModeSetting", {});
  return stored && (REGISTRATION_MODES as readonly string[]).includes(stored)
    ? (stored as RegistrationMode)
    : c.get("config").REGISTRATION_MODE;
}
