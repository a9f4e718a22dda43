/**
 * The open channel jumps to the message a clicked notification is about, once its
 * socket is up (so the jump's page is not overtaken by the first load).
 */
import { effect } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { Chat } from "../../models/chat.ts";
import { notificationJumps } from "../../models/notifications/notification-jumps.ts";

export function useNotificationJump(chat: Chat, channelId: string): void {
  useEffect(
    () =>
      effect(() => {
        if (notificationJumps.pending.value?.channelId !== channelId || chat.status.value !== "online") return;
        const seq = notificationJumps.take(channelId);
        if (seq !== null) void chat.history.jumpTo(seq);
      }),
    [chat, channelId],
  );
}
