/**
 * The user's direct conversations, 1:1 and group, named by who is in them, and
 * opening one with a person (the server finds the existing conversation or
 * starts one). Nothing announces a conversation someone else started yet, so the
 * list is read again when the tab comes back into focus and every little while.
 */
import { createModel, effect, signal } from "@preact/signals";
import { openDmSchema, type ChannelView } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import { describeError } from "./api-client.ts";
import type { Session } from "./session.ts";

/** How often an open page looks for conversations others started. */
const POLL_INTERVAL_MS = 30_000;

/** "bob" or "bob, carol": everyone but the reader; "only you" once the others left a group. */
export function conversationName(channel: ChannelView, ownUserId: string): string {
  const others = (channel.participants ?? []).filter((person) => person.userId !== ownUserId);
  if (others.length === 0) return channel.kind === "group_dm" ? "only you" : channel.name;
  return others.map((person) => person.username).join(", ");
}

export const DirectMessagesModel = createModel((session: Session) => {
  const conversations = signal<ChannelView[]>([]);
  const isLoading = signal(true);
  const loadError = signal<string | null>(null);
  const opening = createAction();

  async function load(): Promise<void> {
    try {
      const answer = await session.request<{ channels: ChannelView[] }>("/api/dms");
      conversations.value = answer.channels;
      loadError.value = null;
    } catch (caught) {
      loadError.value = describeError(caught);
    } finally {
      isLoading.value = false;
    }
  }
  void load();
  effect(() => {
    const onFocus = () => void load();
    const poll = setInterval(() => {
      if (document.visibilityState === "visible") void load();
    }, POLL_INTERVAL_MS);
    addEventListener("focus", onFocus);
    return () => {
      clearInterval(poll);
      removeEventListener("focus", onFocus);
    };
  });

  return {
    conversations,
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
      conversations.value = [answer.channel, ...conversations.value.filter((known) => known.id !== answer.channel.id)];
      return answer.channel;
    },
  };
});

export type DirectMessages = InstanceType<typeof DirectMessagesModel>;
