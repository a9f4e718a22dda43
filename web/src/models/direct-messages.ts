/**
 * The user's direct conversations, 1:1 and group, named by who is in them (or by
 * the name a group was given), and opening one with a person (the server finds the
 * existing conversation or starts one). The account socket announces a
 * conversation someone else started, renamed, joined or left, and a block (here or
 * on another device); the list is also read again when the tab comes back into focus.
 * Managing a group (rename, add people, leave) is in `conversation-admin.ts`.
 */
import { createModel, effect, signal } from "@preact/signals";
import { openDmSchema, type ChannelView } from "../../../protocol/index.ts";
import { UNNAMED_GROUP_DM } from "../../../protocol/direct-messages.ts";
import type { AccountEvents } from "./account-events.ts";
import { createAction } from "./action.ts";
import { describeError } from "./api-client.ts";
import { blocksOf } from "./blocks.ts";
import { latestOnly } from "./latest-only.ts";
import { profiles } from "./profiles.ts";
import type { Session } from "./session.ts";

/** The name a group DM's people gave it, or null while it is named by its people. */
export function groupName(channel: ChannelView): string | null {
  if (channel.kind !== "group_dm") return null;
  const name = channel.name.trim();
  return name && name !== UNNAMED_GROUP_DM ? name : null;
}

/** A group's given name, else "bob" or "bob, carol": everyone but the reader; "only you" once the others left a group. */
export function conversationName(channel: ChannelView, ownUserId: string): string {
  const given = groupName(channel);
  if (given) return given;
  const others = (channel.participants ?? []).filter((person) => person.userId !== ownUserId);
  if (others.length === 0) return channel.kind === "group_dm" ? "only you" : channel.name;
  return others.map((person) => person.username).join(", ");
}

export const DirectMessagesModel = createModel((session: Session, events: AccountEvents) => {
  const conversations = signal<ChannelView[]>([]);
  const isLoading = signal(true);
  const loadError = signal<string | null>(null);
  const opening = createAction();

  const nextLoad = latestOnly();

  function remember(channel: ChannelView): void {
    const list = conversations.peek();
    conversations.value = list.some((known) => known.id === channel.id)
      ? list.map((known) => (known.id === channel.id ? channel : known))
      : [channel, ...list];
    profiles.remember(channel.participants ?? []);
  }

  async function load(): Promise<void> {
    const isLatest = nextLoad();
    try {
      const answer = await session.request<{ channels: ChannelView[] }>("/api/dms");
      if (!isLatest()) return;
      conversations.value = answer.channels;
      profiles.remember(answer.channels.flatMap((channel) => channel.participants ?? []));
      loadError.value = null;
    } catch (caught) {
      if (isLatest()) loadError.value = describeError(caught);
    } finally {
      isLoading.value = false;
    }
  }
  void load();
  const blocks = blocksOf(session);
  effect(() =>
    events.listen((news) => {
      if ((news.type === "changed" && news.scope === "dms") || news.type === "reconnected") void load();
      if ((news.type === "changed" && news.scope === "blocks") || news.type === "reconnected") void blocks.load();
    }),
  );
  effect(() => {
    const onFocus = () => void load();
    addEventListener("focus", onFocus);
    return () => removeEventListener("focus", onFocus);
  });

  return {
    conversations,
    blocks,
    isLoading,
    loadError,
    opening,
    load,
    /** The conversation with these people (found or started), or null with `opening.error` saying why not. */
    async open(userIds: string[]): Promise<ChannelView | null> {
      const parsed = openDmSchema.safeParse({ userIds });
      if (!parsed.success) {
        opening.fail(parsed.error.issues[0]?.message ?? "choose someone to message");
        return null;
      }
      const answer = await opening.run(() =>
        session.request<{ channel: ChannelView; isNew: boolean }>("/api/dms", { method: "POST", body: parsed.data }),
      );
      if (!answer) return null;
      remember(answer.channel);
      return answer.channel;
    },
    /** Takes in a conversation the server answered with (opened, renamed, grown). */
    remember,
    /** Drops a conversation the person left. */
    forget(channelId: string) {
      conversations.value = conversations.value.filter((known) => known.id !== channelId);
    },
  };
});

export type DirectMessages = InstanceType<typeof DirectMessagesModel>;
