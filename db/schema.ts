/**
 * The PostgreSQL schema, in Drizzle's TypeScript form. drizzle-kit generates the
 * SQL migrations in `db/migrations/` from this file; never edit those by hand.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/** Opaque bytes: message payloads are end-to-end encrypted, the server never reads them. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  // The driver hands back a Node Buffer (a Uint8Array subclass); copy it into a plain
  // Uint8Array so it crosses Durable Object RPC and structured clone unchanged.
  fromDriver: (value) => new Uint8Array(value),
});

export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    username: text().notNull(),
    passwordHash: text().notNull(),
    isAdmin: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("users_username_lower_unique").on(sql`lower(${table.username})`)],
);

export const channels = pgTable(
  "channels",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    /** Highest sequence number handed out in this channel; the next message takes lastSeq + 1. */
    lastSeq: bigint({ mode: "number" }).notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("channels_name_lower_unique").on(sql`lower(${table.name})`)],
);

export const messages = pgTable(
  "messages",
  {
    id: uuid().primaryKey().defaultRandom(),
    channelId: uuid()
      .notNull()
      .references(() => channels.id, { onDelete: "cascade" }),
    seq: bigint({ mode: "number" }).notNull(),
    senderId: uuid()
      .notNull()
      .references(() => users.id),
    /** Chosen by the sending client; a resend with the same id is the same message. */
    clientId: text().notNull(),
    payload: bytea().notNull(),
    payloadBytes: integer().notNull(),
    sentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("messages_channel_seq_unique").on(table.channelId, table.seq),
    uniqueIndex("messages_channel_client_unique").on(table.channelId, table.senderId, table.clientId),
  ],
);
