/** HTTP request and response shapes, validated on the server and typed in the browser. */
import { z } from "zod";
import {
  CHANNEL_NAME_MAX_LENGTH,
  HISTORY_PAGE_MAX,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
} from "./limits.ts";

/** Letters, digits, `_`, `.` and `-`; starts with a letter or digit. Compared case-insensitively. */
export const usernameSchema = z
  .string()
  .min(USERNAME_MIN_LENGTH, `a username has at least ${USERNAME_MIN_LENGTH} characters`)
  .max(USERNAME_MAX_LENGTH, `a username has at most ${USERNAME_MAX_LENGTH} characters`)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "a username uses letters, digits, '_', '.' and '-', starting with a letter or digit");

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `a password has at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `a password has at most ${PASSWORD_MAX_LENGTH} characters`);

export const credentialsSchema = z.strictObject({ username: usernameSchema, password: passwordSchema });
export type Credentials = z.infer<typeof credentialsSchema>;

/** Lower-case words joined by '-', like `general` or `release-notes`. */
export const channelNameSchema = z
  .string()
  .min(1, "a channel needs a name")
  .max(CHANNEL_NAME_MAX_LENGTH, `a channel name has at most ${CHANNEL_NAME_MAX_LENGTH} characters`)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "a channel name uses lower-case letters and digits, words joined by '-'");

export const createChannelSchema = z.strictObject({ name: channelNameSchema });

export const historyQuerySchema = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(HISTORY_PAGE_MAX).default(50),
});

export const uuidSchema = z.uuid();

export interface UserView {
  id: string;
  username: string;
  isAdmin: boolean;
}

export interface SessionView {
  user: UserView;
  accessToken: string;
  expiresAt: string;
}

export interface ChannelView {
  id: string;
  name: string;
  createdAt: string;
}

export interface MessageView {
  id: string;
  channelId: string;
  seq: number;
  senderId: string;
  senderName: string;
  clientId: string;
  /** The opaque payload, base64. */
  payload: string;
  sentAt: string;
}

export interface SocketTicketView {
  ticket: string;
  expiresAt: string;
}

export interface HealthView {
  status: "ok" | "degraded";
  version: string;
  uptime_secs: number;
  db_healthy: boolean;
}

/** Every error response has this shape; `code` is stable, `message` says what to fix. */
export interface ErrorView {
  error: { code: string; message: string };
}
