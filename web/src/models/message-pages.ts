/**
 * A channel's messages over HTTP: the newest page, older pages, the messages in a
 * hole of the loaded history, a page around one message (to jump to it), a
 * thread's replies and the pinned messages; an edited message's earlier versions,
 * and how far the person had read.
 */
import type { MessageView, UnreadView } from "../../../protocol/index.ts";
import type { Session } from "./session.ts";

export const HISTORY_PAGE_SIZE = 50;
/** The server's largest page, for filling holes and reading threads in few requests. */
const LARGE_PAGE_SIZE = 100;
/** An edited message's earlier payload (`GET …/messages/:seq/versions`), as sealed then. */
export interface MessageVersion {
  payload: string;
  sentAt: string;
  replacedAt: string;
}

/** A thread longer than this shows its first replies only (the skeleton has no thread paging). */
const THREAD_PAGES_MAX = 5;

export type MessagePages = ReturnType<typeof createMessagePages>;

export function createMessagePages(channelId: string, session: Session) {
  const base = `/api/channels/${encodeURIComponent(channelId)}`;
  const page = async (query: string) =>
    (await session.request<{ messages: MessageView[] }>(`${base}/messages?${query}`)).messages;

  return {
    newest: () => page(`limit=${HISTORY_PAGE_SIZE}`),
    before: (seq: number) => page(`before=${seq}&limit=${HISTORY_PAGE_SIZE}`),
    after: (seq: number) => page(`after=${seq}&limit=${LARGE_PAGE_SIZE}`),
    around: (seq: number) => page(`around=${seq}&limit=${HISTORY_PAGE_SIZE}`),
    async thread(rootSeq: number): Promise<MessageView[]> {
      const replies: MessageView[] = [];
      for (let pages = 0; pages < THREAD_PAGES_MAX; pages++) {
        const after = replies.at(-1)?.seq ?? 0;
        const { messages } = await session.request<{ messages: MessageView[] }>(
          `${base}/threads/${rootSeq}?after=${after}&limit=${LARGE_PAGE_SIZE}`,
        );
        replies.push(...messages);
        if (messages.length < LARGE_PAGE_SIZE) break;
      }
      return replies;
    },
    pins: async () => (await session.request<{ messages: MessageView[] }>(`${base}/pins`)).messages,
    versions: async (seq: number) =>
      (await session.request<{ versions: MessageVersion[] }>(`${base}/messages/${seq}/versions`)).versions,
    /** The person's read position here and the channel's last seq, from the unread counts (null: not listed). */
    async readPosition(): Promise<{ lastReadSeq: number; lastSeq: number } | null> {
      const { channels } = await session.request<{ channels: UnreadView[] }>("/api/unread");
      return channels.find((view) => view.channelId === channelId) ?? null;
    },
  };
}
