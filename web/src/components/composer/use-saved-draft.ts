/**
 * The composer's text survives a reload: restored from models/drafts.ts when a
 * channel opens with nothing typed, written back as it changes (and removed once
 * sent, when the chat model empties it).
 */
import { effect } from "@preact/signals";
import { useEffect, useState } from "preact/hooks";
import type { Chat } from "../../models/chat.ts";
import { saveDraft, savedDraft } from "../../models/drafts.ts";

export function useSavedDraft(chat: Chat, userId: string, channelId: string): void {
  // Once, before the first render reads the draft: set directly, it tells nobody "typing".
  useState(() => {
    if (userId && !chat.draft.peek()) chat.draft.value = savedDraft(userId, channelId);
  });
  useEffect(() => {
    if (!userId) return;
    return effect(() => saveDraft(userId, channelId, chat.draft.value));
  }, [chat, userId, channelId]);
}
