/**
 * Changing messages already sent: editing and deleting one's own (moderators may
 * delete anyone's), reacting, pinning; and which small menu is open on which
 * message (one edit, one confirmation, one reaction picker, one "more" menu, one
 * touch sheet at a time), and whose edit history is shown.
 */
import { signal } from "@preact/signals";
import { describeError } from "./api-client.ts";
import type { MessageContent } from "../../../e2ee/index.ts";
import { textContent } from "./content.ts";
import type { Request } from "./pending-requests.ts";
import type { TimelineEntry } from "./timeline.ts";

/** The reactions offered; reactions other clients put on (any emoji) still show and can be toggled. */
export const REACTION_CHOICES = [
  { emoji: "👍", name: "thumbs up" },
  { emoji: "❤️", name: "heart" },
  { emoji: "😂", name: "laughing" },
  { emoji: "🎉", name: "party" },
  { emoji: "😮", name: "surprised" },
  { emoji: "👀", name: "eyes" },
] as const;

export const reactionName = (emoji: string) => REACTION_CHOICES.find((choice) => choice.emoji === emoji)?.name ?? emoji;

type WithoutClientId<T> = T extends unknown ? Omit<T, "clientId"> : never;
export type ChangeRequest = WithoutClientId<Exclude<Request, { type: "send" }>>;

interface MessageActionsDependencies {
  ownUserId: string;
  find(seq: number): TimelineEntry | null;
  request(change: ChangeRequest): void;
  fail(reason: string): void;
  /** The payload for edited content: sealed for the channel's group. */
  seal(content: MessageContent): Promise<string>;
  /** The proof for deleting one's own message: the deletion, sealed by this device (absent: sent without one). */
  sealDeletion?(seq: number): Promise<string>;
}

export function createMessageActions(dependencies: MessageActionsDependencies) {
  const { ownUserId, find, request, fail } = dependencies;
  const editing = signal<{ seq: number; text: string } | null>(null);
  const confirmingDelete = signal<number | null>(null);
  const pickingReaction = signal<number | null>(null);
  /** The message whose "more" menu is open. */
  const moreMenu = signal<number | null>(null);
  /** The message whose actions a long press opened as a sheet (touch screens). */
  const sheet = signal<number | null>(null);
  /** The message whose earlier versions are shown. */
  const versionsOf = signal<number | null>(null);

  const closeMenus = () => {
    editing.value = null;
    confirmingDelete.value = null;
    pickingReaction.value = null;
    moreMenu.value = null;
    sheet.value = null;
  };

  return {
    editing,
    confirmingDelete,
    pickingReaction,
    moreMenu,
    sheet,
    versionsOf,
    closeMenus,
    toggleMoreMenu(seq: number) {
      const isOpen = moreMenu.peek() === seq;
      closeMenus();
      moreMenu.value = isOpen ? null : seq;
    },
    closeMoreMenu() {
      moreMenu.value = null;
    },
    openSheet(seq: number) {
      closeMenus();
      sheet.value = seq;
    },
    closeSheet() {
      sheet.value = null;
    },
    showVersions(seq: number) {
      closeMenus();
      versionsOf.value = seq;
    },
    closeVersions() {
      versionsOf.value = null;
    },
    startEditing(seq: number) {
      const entry = find(seq);
      if (!entry?.isOwn || entry.isDeleted || entry.text === null) return;
      closeMenus();
      editing.value = { seq, text: entry.text };
    },
    setEditText(text: string) {
      const current = editing.peek();
      if (current) editing.value = { ...current, text };
    },
    /** Saves the edit; an empty text is refused (deleting is the way to remove a message). */
    saveEdit() {
      const current = editing.peek();
      if (!current) return;
      const text = current.text.trim();
      const entry = find(current.seq);
      // A message with files may lose its caption; one with nothing else would be empty.
      if (!text && !entry?.attachments?.length) return fail("a message cannot be empty: delete it instead");
      if (entry && text !== entry.text) {
        let content: MessageContent;
        try {
          const { replyToSeq, threadRootSeq } = entry;
          content = textContent(text, { replyToSeq, threadRootSeq, editOf: current.seq }, entry.attachments);
        } catch (caught) {
          return fail(describeError(caught));
        }
        const { seq } = current;
        dependencies.seal(content).then(
          (payload) => request({ type: "edit", seq, payload }),
          (caught: unknown) => fail(describeError(caught)),
        );
      }
      editing.value = null;
    },
    cancelEdit() {
      editing.value = null;
    },
    askToDelete(seq: number) {
      closeMenus();
      confirmingDelete.value = seq;
    },
    cancelDelete() {
      confirmingDelete.value = null;
    },
    confirmDelete() {
      const seq = confirmingDelete.peek();
      confirmingDelete.value = null;
      if (seq === null) return;
      // One's own deletion carries its proof, so readers see "deleted by its sender"; a moderator's carries none.
      if (!find(seq)?.isOwn || !dependencies.sealDeletion) return request({ type: "delete", seq });
      dependencies.sealDeletion(seq).then(
        (proof) => request({ type: "delete", seq, proof }),
        () => request({ type: "delete", seq }),
      );
    },
    toggleReactionPicker(seq: number) {
      const isOpen = pickingReaction.peek() === seq;
      closeMenus();
      pickingReaction.value = isOpen ? null : seq;
    },
    closeReactionPicker() {
      pickingReaction.value = null;
    },
    /** Adds the user's reaction, or takes it back when they already reacted with this emoji. */
    toggleReaction(seq: number, emoji: string) {
      const isMine = find(seq)
        ?.reactions.find((reaction) => reaction.emoji === emoji)
        ?.userIds.includes(ownUserId);
      pickingReaction.value = null;
      request({ type: isMine ? "unreact" : "react", seq, emoji });
    },
    setPinned(seq: number, isPinned: boolean) {
      request({ type: isPinned ? "pin" : "unpin", seq });
    },
  };
}

export type MessageActions = ReturnType<typeof createMessageActions>;

/** How a refused change is introduced to the user. */
export const REFUSED_CHANGE_WORDS: Record<ChangeRequest["type"], string> = {
  edit: "the message was not edited",
  delete: "the message was not deleted",
  react: "the reaction was not added",
  unreact: "the reaction was not removed",
  pin: "the message was not pinned",
  unpin: "the message was not unpinned",
};
