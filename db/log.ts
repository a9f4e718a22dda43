/**
 * The server's log: one JSON line per event (time, level, event, then fields), so an
 * operator can filter and search it and a user's report (its request id) can be found.
 * It lives in db/ because every server folder may import db/ (STYLE's import direction).
 * Callers pass only what is safe to keep: never a secret, token, password, message
 * payload, or an IP address unless the operator asked for them (LOG_IP_ADDRESSES).
 */

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Per isolate: set from the configuration by the first request or object that reads it. */
let threshold = LOG_LEVELS.indexOf("info");

export function setLogLevel(level: LogLevel): void {
  threshold = LOG_LEVELS.indexOf(level);
}

function write(level: LogLevel, event: string, fields: LogFields): void {
  if (LOG_LEVELS.indexOf(level) < threshold) return;
  const entry: LogFields = { time: new Date().toISOString(), level, event };
  // The fixed keys come first and keep their values whatever the fields hold.
  for (const [key, value] of Object.entries(fields)) if (!(key in entry)) entry[key] = value;
  const line = JSON.stringify(entry);
  // workerd prints console.error to stderr and console.log to stdout, as operators expect.
  if (level === "warn" || level === "error") console.error(line);
  else console.log(line);
}

export const log = {
  debug: (event: string, fields: LogFields = {}) => write("debug", event, fields),
  info: (event: string, fields: LogFields = {}) => write("info", event, fields),
  warn: (event: string, fields: LogFields = {}) => write("warn", event, fields),
  error: (event: string, fields: LogFields = {}) => write("error", event, fields),
};

/** An error's message for the log (its name when the message is empty). */
export const errorText = (error: unknown): string => {
  if (error instanceof Error) return error.message || error.name;
  // Event-shaped errors (a WebSocket's ErrorEvent) carry a message but are no Error.
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" && message !== "" ? message : String(error);
};
