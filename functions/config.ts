/**
 * The server's configuration, parsed once per isolate from the environment
 * (workerd `fromEnvironment`, wrangler vars and secrets). Every rule names the
 * variable and says how to fix it, because the message is what an operator sees
 * when start-up is refused.
 */
import { z } from "zod";
import { usernameSchema } from "../protocol/index.ts";

export const REGISTRATION_MODES = ["open", "invite_only", "closed"] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

const PEM_PRIVATE = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/;
const PEM_PUBLIC = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g;

const integer = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === "") return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
        context.addIssue({ code: "custom", message: `${name} must be a whole number from ${min} to ${max} (got "${value}")` });
        return z.NEVER;
      }
      return parsed;
    });

const configSchema = z.object({
  PUBLIC_URL: z
    .string({ error: "PUBLIC_URL is not set: set it to the address people open, e.g. https://chat.example.com" })
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
      message: "PUBLIC_URL must be an http(s) URL such as https://chat.example.com",
    })
    .transform((value) => new URL(value).origin),
  ADMIN_USERNAME: z
    .string({ error: "ADMIN_USERNAME is not set: set it to the username the first admin will register with" })
    .transform((value, context) => {
      const result = usernameSchema.safeParse(value);
      if (!result.success) {
        context.addIssue({ code: "custom", message: `ADMIN_USERNAME is invalid: ${result.error.issues[0]?.message}` });
        return z.NEVER;
      }
      return value;
    }),
  REGISTRATION_MODE: z
    .string()
    .optional()
    .transform((value, context) => {
      const mode = value === undefined || value === "" ? "invite_only" : value;
      if (!(REGISTRATION_MODES as readonly string[]).includes(mode)) {
        context.addIssue({
          code: "custom",
          message: `REGISTRATION_MODE must be one of ${REGISTRATION_MODES.join(", ")} (got "${mode}")`,
        });
        return z.NEVER;
      }
      return mode as RegistrationMode;
    }),
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is not set: set it to postgres://user:password@host:5432/database" })
    .refine((value) => URL.canParse(value) && /^postgres(ql)?:$/.test(new URL(value).protocol), {
      // Never echo the value: it holds the database password.
      message: "DATABASE_URL must look like postgres://user:password@host:5432/database",
    }),
  DATABASE_POOL_SIZE: integer("DATABASE_POOL_SIZE", 1, 64, 8),
  JWT_PRIVATE_KEY: z
    .string({ error: "JWT_PRIVATE_KEY is not set: run scripts/generate-keys.sh and point JWT_PRIVATE_KEY_FILE at secrets/jwt_private.pem" })
    .refine((value) => PEM_PRIVATE.test(value), {
      message: "JWT_PRIVATE_KEY is not a PEM private key: run scripts/generate-keys.sh",
    }),
  JWT_PUBLIC_KEYS: z
    .string({ error: "JWT_PUBLIC_KEYS is not set: point JWT_PUBLIC_KEY_FILES at secrets/jwt_public.pem" })
    .transform((value, context) => {
      const keys = value.match(PEM_PUBLIC) ?? [];
      if (keys.length === 0) {
        context.addIssue({ code: "custom", message: "JWT_PUBLIC_KEYS holds no PEM public key: run scripts/generate-keys.sh" });
        return z.NEVER;
      }
      return keys;
    }),
  TOTP_ENCRYPTION_KEY: z
    .string({ error: "TOTP_ENCRYPTION_KEY is not set: run scripts/generate-secrets.sh" })
    .regex(/^[0-9a-fA-F]{64}$/, "TOTP_ENCRYPTION_KEY must be 64 hex characters (32 bytes): run scripts/generate-secrets.sh"),
  UPLOAD_MAX_BYTES: integer("UPLOAD_MAX_BYTES", 1024, 10 * 1024 ** 3, 25 * 1024 ** 2),
  /** Unix seconds when the process started, set by the entrypoint; absent under wrangler. */
  CHATALOT_STARTED_AT: integer("CHATALOT_STARTED_AT", 0, 2 ** 40, 0),
  /** A random value the entrypoint sends to /internal/startup; absent means the route is off. */
  STARTUP_TOKEN: z.string().optional(),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

const cache = new WeakMap<object, Config>();

/** Parses and caches the configuration for this env object; throws ConfigError naming every bad variable. */
export function readConfig(env: object): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  // workerd's fromEnvironment gives null for an unset variable; treat it as absent.
  const values = Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value ?? undefined]));
  const parsed = configSchema.safeParse(values);
  if (!parsed.success) {
    throw new ConfigError(
      `invalid configuration:\n${parsed.error.issues.map((issue) => `  - ${issue.message}`).join("\n")}`,
    );
  }
  cache.set(env, parsed.data);
  return parsed.data;
}
