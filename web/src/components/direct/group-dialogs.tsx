/**
 * A group DM's own dialogs: rename it (empty: named by its people again), add people
 * (up to ten in all; they read what is said from then on), and leave it (confirmed,
 * saying what leaving does).
 */
import { useModel, useSignal } from "@preact/signals";
import type { ChannelView } from "../../../../protocol/index.ts";
import { GROUP_DM_MAX_MEMBERS } from "../../../../protocol/index.ts";
import { GROUP_DM_NAME_MAX_LENGTH } from "../../../../protocol/direct-messages.ts";
import type { ConversationAdmin } from "../../models/conversation-admin.ts";
import { groupName } from "../../models/direct-messages.ts";
import { PeoplePickerModel } from "../../models/people-picker.ts";
import type { Session } from "../../models/session.ts";
import { describedBy, FormError } from "../form-error.tsx";
import { DialogButtons, ModalDialog } from "./modal-dialog.tsx";
import { PeoplePickerFields } from "./people-picker.tsx";

export type GroupDialogKind = "rename" | "add" | "leave";

interface GroupDialogProps {
  admin: ConversationAdmin;
  channel: ChannelView;
  /** The conversation's name as the reader sees it. */
  title: string;
  onClose: () => void;
}

export function RenameGroupDialog({ admin, channel, title, onClose }: GroupDialogProps) {
  const name = useSignal(groupName(channel) ?? "");
  const error = admin.renaming.error.value;
  const close = () => (admin.renaming.reset(), onClose());
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await admin.rename(channel.id, name.peek())) onClose();
  };
  return (
    <ModalDialog
      id="rename-group"
      title={`Rename ${title}`}
      explanation="Everyone in the conversation sees the new name. Leave it empty to name it by its people again."
      onClose={close}
    >
      <form class="stack" onSubmit={(event) => void submit(event)}>
        <label for="rename-group-name">Group name</label>
        <input
          id="rename-group-name"
          value={name.value}
          maxLength={GROUP_DM_NAME_MAX_LENGTH}
          autoComplete="off"
          onInput={(event) => (name.value = (event.currentTarget as HTMLInputElement).value)}
          aria-describedby={describedBy(error && "rename-group-error")}
        />
        <FormError id="rename-group-error" error={error} />
        <DialogButtons submitLabel="Save name" isBusy={admin.renaming.isBusy.value} onCancel={close} />
      </form>
    </ModalDialog>
  );
}

export function AddPeopleDialog({ admin, channel, title, onClose, session }: GroupDialogProps & { session: Session }) {
  const present = (channel.participants ?? []).map((person) => person.userId);
  const picker = useModel(
    () => new PeoplePickerModel(session, { exclude: present, max: GROUP_DM_MAX_MEMBERS - present.length }),
  );
  const chosen = picker.chosen.value;
  const close = () => (admin.adding.reset(), onClose());
  const submit = async (event: Event) => {
    event.preventDefault();
    if (
      await admin.add(
        channel.id,
        chosen.map((person) => person.userId),
      )
    )
      onClose();
  };
  return (
    <ModalDialog
      id="add-people"
      title={`Add people to ${title}`}
      explanation="They see the conversation in their list and read what is said from now on, not what was said before."
      class="is-picker"
      onClose={close}
    >
      <form class="stack" onSubmit={(event) => void submit(event)}>
        <PeoplePickerFields picker={picker} id="add-people" />
        <FormError id="add-people-error" error={admin.adding.error.value} />
        <DialogButtons
          submitLabel={
            chosen.length === 0 ? "Choose someone" : `Add ${chosen.map((person) => person.username).join(", ")}`
          }
          isBusy={admin.adding.isBusy.value}
          isDisabled={chosen.length === 0}
          onCancel={close}
        />
      </form>
    </ModalDialog>
  );
}

export function LeaveGroupDialog({
  admin,
  channel,
  title,
  onClose,
  onLeft,
}: GroupDialogProps & { onLeft: () => void }) {
  const close = () => (admin.leaving.reset(), onClose());
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await admin.leave(channel.id)) onLeft();
  };
  return (
    <ModalDialog
      id="leave-group"
      title={`Leave ${title}?`}
      explanation="You will no longer see this conversation or its messages, and the others see that you left. Only someone still in it can add you back."
      onClose={close}
    >
      <form class="stack" onSubmit={(event) => void submit(event)}>
        <FormError id="leave-group-error" error={admin.leaving.error.value} />
        <DialogButtons submitLabel="Leave group" isDangerous isBusy={admin.leaving.isBusy.value} onCancel={close} />
      </form>
    </ModalDialog>
  );
}
