/**
 * The server's configuration, parsed once per isolate from the environment
 * (workerd `fromEnvironment`, wrangler vars and secrets). Every rule names the
 * variable and says how to fix it, because the message is what an operator sees
 * when start-up is refused.
 */
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { LOG_LEVELS, type LogLevel } from "../db/index.ts";
import { usernameSchema } from "../protocol/index.ts";

export const REGISTRATION_MODES = ["open", "invite_only", "closed"] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

/** A PEM block with this label; jose checks the key inside when it is imported. */
const pemBlock = (label: string, flags = "") =>
  new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`, flags);
const PEM_PRIVATE = pemBlock("PRIVATE KEY");
const PEM_PUBLIC = pemBlock("PUBLIC KEY", "g");

const integer = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === "") return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
        context.addIssue({
          code: "custom",
          message: `${name} must be a whole number from ${min} to ${max} (got "${value}")`,
        });
        return z.NEVER;
      }
      return parsed;
    });

/** A comma-separated list of IP addresses and CIDR ranges, named `name` in its error. */
function addressRanges(name: string) {
  return z
    .string()
    .optional()
    .transform((value, context) => {
      const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
      for (const entry of (value ?? "")
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean)) {
        try {
          ranges.push(
            entry.includes("/")
              ? ipaddr.parseCIDR(entry)
              : [ipaddr.parse(entry), ipaddr.parse(entry).kind() === "ipv4" ? 32 : 128],
          );
        } catch {
          context.addIssue({
            code: "custom",
            message: `${name} has "${entry}", which is not an IP address or CIDR range such as 172.16.0.0/12`,
          });
          return z.NEVER;
        }
      }
      return ranges;
    });
}

const configFields = z.object({
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
    .string({
      error:
        "JWT_PRIVATE_KEY is not set: run scripts/generate-keys.sh and point JWT_PRIVATE_KEY_FILE at secrets/jwt_private.pem",
    })
    .refine((value) => PEM_PRIVATE.test(value), {
      message: "JWT_PRIVATE_KEY is not a PEM private key: run scripts/generate-keys.sh",
    }),
  JWT_PUBLIC_KEYS: z
    .string({ error: "JWT_PUBLIC_KEYS is not set: point JWT_PUBLIC_KEY_FILES at secrets/jwt_public.pem" })
    .transform((value, context) => {
      const keys = value.match(PEM_PUBLIC) ?? [];
      if (keys.length === 0) {
        context.addIssue({
          code: "custom",
          message: "JWT_PUBLIC_KEYS holds no PEM public key: run scripts/generate-keys.sh",
        });
        return z.NEVER;
      }
      return keys;
    }),
  TOTP_ENCRYPTION_KEY: z
    .string({ error: "TOTP_ENCRYPTION_KEY is not set: run scripts/generate-secrets.sh" })
    .regex(
      /^[0-9a-fA-F]{64}$/,
      "TOTP_ENCRYPTION_KEY must be 64 hex characters (32 bytes): run scripts/generate-secrets.sh",
    ),
  /** The version number of TOTP_ENCRYPTION_KEY, stored with each secret it encrypts. */
  TOTP_ENCRYPTION_KEY_VERSION: integer("TOTP_ENCRYPTION_KEY_VERSION", 1, 32_000, 1),
  /** Earlier keys still needed to read secrets until scripts/rotate-totp-key.ts has run: `1:<hex>,2:<hex>`. */
  TOTP_ENCRYPTION_KEYS_RETIRED: z
    .string()
    .optional()
    .transform((value, context) => {
      const keys = new Map<number, string>();
      for (const entry of (value ?? "")
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean)) {
        const match = /^(\d+):([0-9a-fA-F]{64})$/.exec(entry);
        if (!match) {
          context.addIssue({
            code: "custom",
            message: "TOTP_ENCRYPTION_KEYS_RETIRED must look like 1:<64 hex characters>,2:<64 hex characters>",
          });
          return z.NEVER;
        }
        keys.set(Number(match[1]), match[2]!);
      }
      return keys;
    }),
  /** Reverse proxies whose X-Forwarded-For is believed: addresses or CIDR ranges, comma-separated. */
  TRUSTED_PROXIES: addressRanges("TRUSTED_PROXIES"),
  // --- Metrics and logs (issue #25) ---
  /** Who may read /metrics without a token: addresses or CIDR ranges, comma-separated; none by default. */
  METRICS_ALLOWED_ADDRESSES: addressRanges("METRICS_ALLOWED_ADDRESSES"),
  /** The bearer token a scraper sends to /metrics (secrets/metrics_token); unset: only the ranges above. */
  METRICS_TOKEN: z
    .string()
    .optional()
    .transform((value, context) => {
      const token = value?.trim() ?? "";
      if (token === "") return null;
      // Never echo the value.
      if (token.length < 32) {
        context.addIssue({
          code: "custom",
          message: "METRICS_TOKEN must be at least 32 characters: run scripts/generate-secrets.sh",
        });
        return z.NEVER;
      }
      return token;
    }),
  /** Write clients' IP addresses into the log (off: the log names none). */
  LOG_IP_ADDRESSES: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === "" || value === "false") return false;
      if (value === "true") return true;
      context.addIssue({ code: "custom", message: `LOG_IP_ADDRESSES must be true or false (got "${value}")` });
      return z.NEVER;
    }),
  /** The least important log lines written: debug, info (default), warn or error. */
  LOG_LEVEL: z
    .string()
    .optional()
    .transform((value, context) => {
      const level = value === undefined || value === "" ? "info" : value;
      if (!(LOG_LEVELS as readonly string[]).includes(level)) {
        context.addIssue({
          code: "custom",
          message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got "${level}")`,
        });
        return z.NEVER;
      }
      return level as LogLevel;
    }),
  /** Origins besides PUBLIC_URL allowed to call the API from a browser, comma-separated. */
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((value, context) => {
      const origins: string[] = [];
      for (const entry of (value ?? "")
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean)) {
        if (!URL.canParse(entry) || new URL(entry).origin !== entry.replace(/\/$/, "")) {
          context.addIssue({
            code: "custom",
            message: `CORS_ORIGINS has "${entry}", which is not an origin such as https://app.example.com`,
          });
          return z.NEVER;
        }
        origins.push(new URL(entry).origin);
      }
      return origins;
    }),
  UPLOAD_MAX_BYTES: integer("UPLOAD_MAX_BYTES", 1024, 10 * 1024 ** 3, 25 * 1024 ** 2),
  /** Sealed bytes one person's uploaded files may take in all (docs/files.md); 1 MiB to 1 PiB. */
  UPLOAD_QUOTA_BYTES: integer("UPLOAD_QUOTA_BYTES", 1024 ** 2, 1024 ** 5, 1024 ** 3),
  /** Short rate-limit windows held in memory (about 250 bytes each); past them, newcomers are counted in PostgreSQL. */
  RATE_LIMIT_MEMORY_WINDOWS: integer("RATE_LIMIT_MEMORY_WINDOWS", 0, 10_000_000, 100_000),
  /** Who may create communities: instance admins only (default), or anyone signed in. */
  COMMUNITY_CREATION_MODE: z
    .string()
    .optional()
    .transform((value, context) => {
      const mode = value === undefined || value === "" ? "admin_only" : value;
      if (mode !== "admin_only" && mode !== "open") {
        context.addIssue({
          code: "custom",
          message: `COMMUNITY_CREATION_MODE must be admin_only or open (got "${mode}")`,
        });
        return z.NEVER;
      }
      return mode;
    }),
  /**
   * Days a session lives from its sign-in, however often it is refreshed; then the person
   * signs in again. Fractions allowed (tests use seconds' worth).
   */
  SESSION_MAX_AGE_DAYS: z
    .string()
    .optional()
    .transform((value, context) => {
      const days = value === undefined || value === "" ? 90 : Number(value);
      if (!Number.isFinite(days) || days <= 0 || days > 3650) {
        context.addIssue({
          code: "custom",
          message: `SESSION_MAX_AGE_DAYS must be a number of days above 0 and at most 3650 (got "${value}")`,
        });
        return z.NEVER;
      }
      return days;
    }),
  /** History pages one person may read a minute, over all their sessions. */
  HISTORY_PAGES_PER_MINUTE: integer("HISTORY_PAGES_PER_MINUTE", 1, 10_000_000, 600),
  /** Password checks waiting or running at once for clients new to an account (four times as many for known ones). */
  PASSWORD_CHECKS_QUEUED_MAX: integer("PASSWORD_CHECKS_QUEUED_MAX", 1, 10_000, 4),
  /** Failed sign-ins per minute across the installation past which new clients are turned away until the minute ends. */
  SIGN_IN_FAILURES_PER_MINUTE: integer("SIGN_IN_FAILURES_PER_MINUTE", 1, 1_000_000, 300),
  /** Unix seconds when the process started, set by the entrypoint; absent under wrangler. */
  CHATALOT_STARTED_AT: integer("CHATALOT_STARTED_AT", 0, 2 ** 40, 0),
  /** A random value the entrypoint sends to /internal/startup; absent means the route is off. */
  STARTUP_TOKEN: z.string().optional(),
  /**
   * The shared secret of TURN REST credentials (secrets/turn_secret, the relay's
   * static-auth-secret). Unset: GET /api/calls/ice-servers hands out STUN only.
   */
  TURN_SECRET: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === "") return null;
      // Never echo the value. coturn's config file holds it on one line after `=`.
      if (!/^[\x21-\x7e]{32,512}$/.test(value)) {
        context.addIssue({
          code: "custom",
          message:
            "TURN_SECRET must be 32 to 512 visible ASCII characters without spaces: run scripts/generate-secrets.sh",
        });
        return z.NEVER;
      }
      return value;
    }),
  /** STUN and TURN URLs for browsers, comma-separated; unset: the turn profile's relay on PUBLIC_URL's host. */
  TURN_URLS: z
    .string()
    .optional()
    .transform((value, context) => {
      const urls = (value ?? "")
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean);
      for (const url of urls) {
        if (!ICE_URL.test(url) || (url.startsWith("stun") && url.includes("?"))) {
          context.addIssue({
            code: "custom",
            message: `TURN_URLS has "${url}", which is not a URL such as turn:turn.example.com:3478?transport=udp or stun:turn.example.com:3478`,
          });
          return z.NEVER;
        }
      }
      return urls.length > 0 ? urls : null;
    }),
  // --- Web Push (issue #23) ---
  /**
   * The VAPID key (RFC 8292): a P-256 private key, PKCS#8 PEM (secrets/vapid_private.pem,
   * scripts/generate-secrets.sh). Unset: no Web Push; GET /api/push/vapid-public-key answers 404.
   */
  VAPID_PRIVATE_KEY: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === "") return null;
      // Never echo the value.
      if (!isP256Pkcs8(value)) {
        context.addIssue({
          code: "custom",
          message: "VAPID_PRIVATE_KEY must be a P-256 private key in PKCS#8 PEM: run scripts/generate-secrets.sh",
        });
        return z.NEVER;
      }
      return value;
    }),
  /** RFC 8292 `sub`, how a push service reaches the operator: mailto: or https:; default PUBLIC_URL. */
  VAPID_SUBJECT: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === "") return null;
      if (!/^mailto:[^\s@]+@[^\s@]+$/.test(value) && !(URL.canParse(value) && new URL(value).protocol === "https:")) {
        context.addIssue({
          code: "custom",
          message: `VAPID_SUBJECT must be mailto:you@example.com or an https: URL (got "${value}")`,
        });
        return z.NEVER;
      }
      return value;
    }),
  /**
   * Where the admin page asks, at most once a day, for the newest release (`{"version":"x.y.z"}`).
   * Unset (the default), the server never asks anyone: the README promises no phone-home.
   */
  UPDATE_CHECK_URL: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === "") return null;
      // Not echoed: a URL with credentials in it would put them in the log.
      if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol) || new URL(value).username) {
        context.addIssue({
          code: "custom",
          message: `UPDATE_CHECK_URL must be an http(s) URL without a user name, such as https://example.com/chatalot/latest.json`,
        });
        return z.NEVER;
      }
      return new URL(value).href;
    }),
  /**
   * For tests only: the one plain-http origin (a fake push service on loopback) that push
   * subscriptions may name. Refused when PUBLIC_URL is https (below), so no production server has it.
   */
  PUSH_TEST_SERVICE_ORIGIN: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === "") return null;
      if (!URL.canParse(value) || new URL(value).origin !== value.replace(/\/$/, "")) {
        context.addIssue({
          code: "custom",
          message: `PUSH_TEST_SERVICE_ORIGIN must be an origin such as http://127.0.0.1:9999 (got "${value}")`,
        });
        return z.NEVER;
      }
      return new URL(value).origin;
    }),
});

/** The test-only push origin never on a server people use over https. */
const configSchema = configFields.superRefine((config, context) => {
  if (config.PUSH_TEST_SERVICE_ORIGIN && config.PUBLIC_URL.startsWith("https:")) {
    context.addIssue({
      code: "custom",
      message: "PUSH_TEST_SERVICE_ORIGIN is for tests only and is refused when PUBLIC_URL is https: unset it",
    });
  }
});

/** PKCS#8 of an EC key on P-256: the ecPublicKey and prime256v1 object identifiers, in DER. */
const EC_PUBLIC_KEY_OID = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const PRIME256V1_OID = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

/** A PKCS#8 PEM: its label between the dashes, then base64. */
const PKCS8_LABEL = "PRIVATE KEY";
const PKCS8_PEM = new RegExp(
  `^\\s*-----BEGIN ${PKCS8_LABEL}-----([A-Za-z0-9+/=\\s]+)-----END ${PKCS8_LABEL}-----\\s*$`,
);

function isP256Pkcs8(pem: string): boolean {
  const match = PKCS8_PEM.exec(pem);
  if (!match) return false;
  let head: number[];
  try {
    // The algorithm identifier sits in the first few dozen bytes.
    head = [...atob(match[1]!.replace(/\s+/g, "")).slice(0, 40)].map((character) => character.charCodeAt(0));
  } catch {
    return false;
  }
  const contains = (needle: number[]) =>
    head.some((_, start) => needle.every((byte, offset) => head[start + offset] === byte));
  return contains(EC_PUBLIC_KEY_OID) && contains(PRIME256V1_OID);
}

/** RFC 7064/7065 URLs as RTCPeerConnection takes them: scheme, host or [IPv6], port, TURN transport. */
const ICE_URL = /^(stuns?|turns?):(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,253})(:\d{1,5})?(\?transport=(udp|tcp))?$/;

export type Config = z.infer<typeof configSchema>;

/** Origins a browser may call from, and open sockets from. */
export const allowedOrigins = (config: Config): string[] => [config.PUBLIC_URL, ...config.CORS_ORIGINS];

/** What a person who opened Chatalot at another address reads: which address to open, not a variable's name. */
export const wrongAddress = (origin: string, publicUrl: string) =>
  `this page was opened at ${origin}, but this Chatalot is at ${publicUrl}: open ${publicUrl} instead`;

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
