/** Creates a channel and opens it. */
import type { Channels } from "../models/channels.ts";
import { channelPath, type Router } from "../models/router.ts";
import { sentence } from "./sentence.ts";

export function CreateChannelForm({ channels, router }: { channels: Channels; router: Router }) {
  const error = channels.createError.value;

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const channel = await channels.create(String(new FormData(form).get("name") ?? ""));
    if (!channel) return;
    form.reset();
    router.navigate(channelPath(channel.id));
  };

  return (
    <form class="create-channel" onSubmit={onSubmit} noValidate>
      <label for="new-channel-name">New channel</label>
      <div class="inline-field">
        <input
          id="new-channel-name"
          name="name"
          placeholder="release-notes"
          autoCapitalize="none"
          spellcheck={false}
          aria-describedby={error ? "new-channel-error" : "new-channel-hint"}
          aria-invalid={error ? true : undefined}
        />
        <button type="submit" disabled={channels.isCreating.value}>
          Create channel
        </button>
      </div>
      {error ? (
        <p id="new-channel-error" class="error" role="alert">
          {sentence(error)}
        </p>
      ) : (
        <p id="new-channel-hint" class="hint">
          Lower-case words joined by “-”.
        </p>
      )}
    </form>
  );
}
