/**
 * What the reader may do with a message, as one list that the hover toolbar shows
 * as icons and a long press shows as a sheet: reply, react, reply in a thread, edit
 * or delete their own (moderators delete anyone's), pin; in the pinned messages,
 * show it in the channel. The rest (copy, edit history) sits behind "More".
 */
import type { Chat } from "../../models/chat.ts";
import type { TimelineEntry } from "../../models/timeline.ts";
import type { MessagePlace } from "../message-item.tsx";
import type { IconName } from "./icons.tsx";

export interface MessageAction {
  /** The button's name, for screen readers and the tooltip: "Reply", "Pin". */
  label: string;
  icon: IconName;
  run(): void;
  /** The react button opens the reaction picker: it says whether it is open. */
  isReact?: boolean;
  isDanger?: boolean;
}

export function messageActionsFor(chat: Chat, entry: TimelineEntry, place: MessagePlace): MessageAction[] {
  const seq = entry.seq!;
  const { actions } = chat;
  const canSend = chat.canSend.value;
  const canDelete = entry.isOwn || chat.canManageMessages.value;
  const list: (MessageAction | false)[] = [
    place === "pins" && { label: "Show in channel", icon: "jump", run: () => void chat.history.jumpTo(seq) },
    place === "main" && canSend && { label: "Reply", icon: "reply", run: () => chat.replyTo(seq) },
    chat.canReact.value &&
      place !== "pins" && {
        label: "React",
        icon: "react",
        isReact: true,
        run: () => actions.toggleReactionPicker(seq),
      },
    place === "main" &&
      canSend &&
      entry.threadRootSeq === null && {
        label: "Reply in thread",
        icon: "thread",
        run: () => void chat.panels.openThread(seq),
      },
    entry.isOwn && canSend && place !== "pins" && { label: "Edit", icon: "edit", run: () => actions.startEditing(seq) },
    chat.canPin.value && {
      label: entry.pinnedAt === null ? "Pin" : "Unpin",
      icon: entry.pinnedAt === null ? "pin" : "unpin",
      run: () => actions.setPinned(seq, entry.pinnedAt === null),
    },
    canDelete &&
      place !== "pins" && { label: "Delete", icon: "delete", isDanger: true, run: () => actions.askToDelete(seq) },
  ];
  return list.filter((action): action is MessageAction => action !== false);
}

/** Behind "More": what is rarely needed. */
export function moreActionsFor(chat: Chat, entry: TimelineEntry): { label: string; run(): void }[] {
  const seq = entry.seq!;
  return [
    entry.text !== null && { label: "Copy text", run: () => void navigator.clipboard?.writeText(entry.text ?? "") },
    entry.editedAt !== null && { label: "Show edit history", run: () => chat.actions.showVersions(seq) },
  ].filter((item): item is { label: string; run(): void } => item !== false);
}
