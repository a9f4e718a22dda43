/**
 * "New message": choose one person for a DM or up to nine for a group DM, then the
 * conversation opens (an existing DM with that person is found again, not doubled).
 */
import { useModel } from "@preact/signals";
import { GROUP_DM_MAX_MEMBERS } from "../../../../protocol/index.ts";
import type { DirectMessages } from "../../models/direct-messages.ts";
import { PeoplePickerModel } from "../../models/people-picker.ts";
import { dmPath, type Router } from "../../models/router.ts";
import type { Session } from "../../models/session.ts";
import { FormError } from "../form-error.tsx";
import { DialogButtons, ModalDialog } from "./modal-dialog.tsx";
import { PeoplePickerFields } from "./people-picker.tsx";

interface NewConversationDialogProps {
  session: Session;
  conversations: DirectMessages;
  router: Router;
  onClose: () => void;
}

export function NewConversationDialog({ session, conversations, router, onClose }: NewConversationDialogProps) {
  const picker = useModel(() => new PeoplePickerModel(session, { exclude: [], max: GROUP_DM_MAX_MEMBERS - 1 }));
  const chosen = picker.chosen.value;
  const opening = conversations.opening;
  const submitLabel =
    chosen.length === 0
      ? "Choose someone"
      : chosen.length === 1
        ? `Message ${chosen[0]!.username}`
        : `Create group DM with ${chosen.length} people`;

  const submit = async (event: Event) => {
    event.preventDefault();
    const channel = await conversations.open(chosen.map((person) => person.userId));
    if (!channel) return;
    onClose();
    router.navigate(dmPath(channel.id));
  };

  return (
    <ModalDialog
      id="new-conversation"
      title="New message"
      explanation="Choose one person for a direct message, or up to nine for a group DM."
      class="is-picker"
      onClose={() => (opening.reset(), onClose())}
    >
      <form class="stack" onSubmit={(event) => void submit(event)}>
        <PeoplePickerFields picker={picker} id="new-conversation" />
        <FormError id="new-conversation-error" error={opening.error.value} />
        <DialogButtons
          submitLabel={submitLabel}
          isBusy={opening.isBusy.value}
          isDisabled={chosen.length === 0}
          onCancel={() => (opening.reset(), onClose())}
        />
      </form>
    </ModalDialog>
  );
}
