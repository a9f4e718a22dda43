/**
 * Every named query the app may run. Callers outside the Database object name a
 * query and pass its input; the query itself runs next to the connection pool.
 */
import { allChannels, channelById, createChannel } from "./channels.ts";
import { appendMessage, messagesBefore } from "./messages.ts";
import { createUser, userById, userByUsername } from "./users.ts";

export const queries = {
  createUser,
  userByUsername,
  userById,
  createChannel,
  allChannels,
  channelById,
  appendMessage,
  messagesBefore,
};

export type Queries = typeof queries;
export type QueryName = keyof Queries;
export type QueryInput<K extends QueryName> = Parameters<Queries[K]>[1];
export type QueryOutput<K extends QueryName> = Awaited<ReturnType<Queries[K]>>;

export type { ChannelRecord } from "./channels.ts";
export type { MessageRecord } from "./messages.ts";
export type { UserRecord } from "./users.ts";
