/**
 * Setting a custom status, as Discord's "Set a custom status": a line of text, an
 * emoji, and when it clears itself (30 minutes, 1 hour, 4 hours, today, never).
 * Everyone who sees the person in a member list sees it until then. Exported for the
 * user panel too.
 */
import { useSignal } from "@preact/signals";
import type { CustomStatusView } from "../../../../protocol/index.ts";
import { CLEAR_AFTER, type ClearAfter, type OwnProfile } from "../../models/own-profile.ts";
import { EmojiPicker } from "../emoji/emoji-picker.tsx";
import { describedBy, FormError } from "../form-error.tsx";
import { dateTimeInWords } from "../time-words.ts";

const STATUS_MAX = 128;
const CLEAR_AFTER_WORDS: Record<ClearAfter, string> = {
  "30m": "30 minutes",
  "1h": "1 hour",
  "4h": "4 hours",
  today: "Today",
  never: "Don't clear",
};

export function CustomStatusForm({ profile, status }: { profile: OwnProfile; status: CustomStatusView | null }) {
  const text = useSignal(status?.text ?? "");
  const emoji = useSignal(status?.emoji ?? "");
  const clearAfter = useSignal<ClearAfter>("today");
  const isPicking = useSignal(false);
  const action = profile.settingStatus;
  const error = action.error.value;

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    await profile.setStatus(text.value, emoji.value, clearAfter.value);
  };
  const onClear = async () => {
    if (await profile.clearStatus()) {
      text.value = "";
      emoji.value = "";
    }
  };

  return (
    <section class="card" aria-labelledby="custom-status-heading">
      <h2 id="custom-status-heading">Custom status</h2>
      <p class="hint" role="status">
        {status
          ? `Showing "${status.emoji ? `${status.emoji} ` : ""}${status.text}" ${
              status.expiresAt ? `until ${dateTimeInWords(status.expiresAt)}` : "until you clear it"
            }.`
          : "No custom status: others see only whether you are online."}
      </p>
      <form class="custom-status-form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <div class="custom-status-row">
          <button
            type="button"
            class="custom-status-emoji"
            aria-label={emoji.value ? `Emoji: ${emoji.value}. Choose another` : "Choose an emoji"}
            aria-expanded={isPicking.value}
            onClick={() => (isPicking.value = !isPicking.value)}
          >
            <span aria-hidden="true">{emoji.value || "🙂"}</span>
          </button>
          <div class="stack custom-status-text-field">
            <label for="custom-status-text">What’s happening?</label>
            <input
              id="custom-status-text"
              value={text.value}
              maxLength={STATUS_MAX}
              placeholder="In a meeting"
              aria-describedby={describedBy(error && "custom-status-error")}
              onInput={(event) => (text.value = event.currentTarget.value)}
            />
          </div>
          <div class="stack">
            <label for="custom-status-clear-after">Clear after</label>
            <select
              id="custom-status-clear-after"
              value={clearAfter.value}
              onChange={(event) => (clearAfter.value = event.currentTarget.value as ClearAfter)}
            >
              {CLEAR_AFTER.map((choice) => (
                <option key={choice} value={choice}>
                  {CLEAR_AFTER_WORDS[choice]}
                </option>
              ))}
            </select>
          </div>
        </div>
        {isPicking.value && (
          <EmojiPicker
            label="Choose the status emoji"
            onPick={(picked) => {
              emoji.value = picked;
              isPicking.value = false;
            }}
            onClose={() => (isPicking.value = false)}
          />
        )}
        <FormError id="custom-status-error" error={error} />
        <div class="button-row">
          <button type="submit" class="primary" disabled={action.isBusy.value}>
            Set status
          </button>
          {status && (
            <button type="button" onClick={() => void onClear()} disabled={action.isBusy.value}>
              Clear status
            </button>
          )}
          {emoji.value && (
            <button type="button" onClick={() => (emoji.value = "")}>
              Remove the emoji
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
