/**
 * Block or unblock a person, with a confirmation saying what blocking does (the
 * server's rules, functions/routes/blocks.ts). Used by the profile card, a DM's
 * menu and the blocked-people list; the page's one list of blocks says which to offer.
 */
import { useSignal } from "@preact/signals";
import { blocksOf } from "../../models/blocks.ts";
import type { Session } from "../../models/session.ts";
import { sentence } from "../sentence.ts";
import { DialogButtons, ModalDialog } from "../direct/modal-dialog.tsx";

export interface BlockButtonProps {
  session: Session;
  userId: string;
  name: string;
  /** The button's look: a menu item in a menu, a plain button elsewhere. */
  class?: string;
  /** Called once the block or unblock is done (a menu closes). */
  onDone?: () => void;
}

/** What blocking does, in words, as the server does it. */
export function blockingInWords(name: string): string {
  return `Neither of you will be able to start a conversation with the other, and your direct messages with ${name} become read-only for both of you; what was said stays. ${name} is not told, but will see that they cannot reply. Group DMs and the communities you share are not changed. You can unblock ${name} at any time from Settings > Privacy & safety.`;
}

export function BlockButton({ session, userId, name, class: className, onDone }: BlockButtonProps) {
  const blocks = blocksOf(session);
  const isConfirming = useSignal(false);
  const isBlocked = blocks.isBlocked(userId);
  const changing = blocks.changing;
  const error = changing.error.value;

  if (isBlocked) {
    return (
      <>
        <button
          type="button"
          class={className}
          disabled={changing.isBusy.value}
          onClick={async () => {
            if (await blocks.unblock(userId)) onDone?.();
          }}
        >
          Unblock {name}
        </button>
        {error && !isConfirming.value && (
          <p class="error" role="alert">
            {sentence(error)}
          </p>
        )}
      </>
    );
  }
  const close = () => {
    changing.reset();
    isConfirming.value = false;
  };
  return (
    <>
      <button
        type="button"
        class={[className, "is-danger"].filter(Boolean).join(" ")}
        onClick={() => (isConfirming.value = true)}
      >
        Block {name}
      </button>
      {isConfirming.value && (
        <ModalDialog
          id={`block-${userId}`}
          title={`Block ${name}?`}
          explanation={blockingInWords(name)}
          onClose={close}
        >
          <form
            class="stack"
            onSubmit={async (event) => {
              event.preventDefault();
              if (!(await blocks.block(userId, name))) return;
              isConfirming.value = false;
              onDone?.();
            }}
          >
            {error && (
              <p class="error" role="alert">
                {sentence(error)}
              </p>
            )}
            <DialogButtons submitLabel={`Block ${name}`} isDangerous isBusy={changing.isBusy.value} onCancel={close} />
          </form>
        </ModalDialog>
      )}
    </>
  );
}
