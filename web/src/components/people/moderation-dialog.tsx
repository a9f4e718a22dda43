/**
 * The form a member menu opens to time out, kick or ban someone: a modal dialog that
 * says what will happen, asks for a reason (and a time-out's length), and shows the
 * server's refusal in words. Esc or Cancel closes it without doing anything.
 */
import { useEffect, useRef } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { TIMEOUT_DURATIONS } from "../../../../protocol/moderation.ts";
import type { MemberModeration } from "../../models/moderation.ts";
import { describedBy, FormError } from "../form-error.tsx";

/** The longest reason the server takes (`moderationReasonSchema`). */
const REASON_MAX_LENGTH = 500;
const DEFAULT_MINUTES = 60;

interface ModerationDialogProps {
  moderation: MemberModeration;
  name: string;
  communityName: string;
}

export function ModerationDialog({ moderation, name, communityName }: ModerationDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const reason = useSignal("");
  const minutes = useSignal(DEFAULT_MINUTES);
  const form = moderation.form.value;
  const error = moderation.acting.error.value;
  const isBusy = moderation.acting.isBusy.value;

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  if (!form) return null;

  const words = {
    timeout: {
      title: `Time out ${name}`,
      explanation: `${name} can still read ${communityName} but cannot send messages, react, speak or join calls until the time-out ends. They will see until when, and your reason.`,
      submit: "Time out",
    },
    kick: {
      title: `Kick ${name}`,
      explanation: `${name} is removed from ${communityName} and loses its channels at once. They can come back with an invite.`,
      submit: `Kick ${name}`,
    },
    ban: {
      title: `Ban ${name}`,
      explanation: `${name} is removed from ${communityName} and cannot come back, even with an invite, until someone lifts the ban. Their messages stay.`,
      submit: `Ban ${name}`,
    },
  }[form];

  const submit = async (event: Event) => {
    event.preventDefault();
    const text = reason.peek();
    if (form === "timeout") await moderation.timeOut(minutes.peek(), text);
    else if (form === "kick") await moderation.kick(text);
    else await moderation.ban(text);
  };

  return (
    <dialog
      ref={dialog}
      class="moderation-dialog"
      aria-labelledby="moderation-title"
      aria-describedby="moderation-explanation"
      onCancel={(event) => {
        event.preventDefault();
        moderation.cancel();
      }}
    >
      <form class="stack" onSubmit={(event) => void submit(event)}>
        <h2 id="moderation-title">{words.title}</h2>
        <p id="moderation-explanation">{words.explanation}</p>
        {form === "timeout" && (
          <fieldset class="timeout-durations">
            <legend>For how long</legend>
            {TIMEOUT_DURATIONS.map((duration) => (
              <label key={duration.minutes} class="timeout-duration">
                <input
                  type="radio"
                  name="timeout-minutes"
                  value={duration.minutes}
                  checked={minutes.value === duration.minutes}
                  onChange={() => (minutes.value = duration.minutes)}
                />
                {duration.label}
              </label>
            ))}
          </fieldset>
        )}
        <label for="moderation-reason">Reason (optional)</label>
        <input
          id="moderation-reason"
          type="text"
          maxLength={REASON_MAX_LENGTH}
          value={reason.value}
          onInput={(event) => (reason.value = event.currentTarget.value)}
          aria-describedby={describedBy(error && "moderation-error")}
          autoFocus={form !== "timeout"}
        />
        <FormError id="moderation-error" error={error} />
        <div class="button-row moderation-buttons">
          <button type="button" onClick={() => moderation.cancel()}>
            Cancel
          </button>
          <button type="submit" class="danger" disabled={isBusy}>
            {words.submit}
          </button>
        </div>
      </form>
    </dialog>
  );
}
