/**
 * Creates a channel in the community (for those who may manage channels) and opens it,
 * as Discord's "Create Channel": its kind, its name (what the server accepts, as one
 * types: "Zebra Plans" reads `zebra-plans`, protocol/api.ts, channelNameSchema), a topic,
 * a category, and "Private channel": only its creator (and those given access later in
 * its permissions) can see it, set in the same request.
 */
import { useModel } from "@preact/signals";
import { CHANNEL_NAME_MAX_LENGTH, CHANNEL_TOPIC_MAX_LENGTH } from "../../../protocol/index.ts";
import { ChannelAdminModel } from "../models/channel-admin.ts";
import type { Community } from "../models/community.ts";
import { channelPath, type Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { describedBy, FormError } from "./form-error.tsx";

interface CreateChannelFormProps {
  session: Session;
  community: Community;
  communityId: string;
  router: Router;
  /** After the channel is made and opened. */
  onCreated?: () => void;
}

/** "Zebra Plans!" → "zebra-plans": lower-case letters and digits, words joined by one "-". */
export function channelSlug(typed: string): string {
  return typed
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, CHANNEL_NAME_MAX_LENGTH);
}

export function CreateChannelForm({ session, community, communityId, router, onCreated }: CreateChannelFormProps) {
  const admin = useModel(() => new ChannelAdminModel(communityId, session, community));
  const error = admin.creating.error.value;
  const categories = community.categories.value;

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const channel = await admin.createChannel({
      // A trailing "-" stays while typing (the next word follows it), not in the name.
      name: channelSlug(String(data.get("name") ?? "")).replace(/-+$/, ""),
      kind: String(data.get("kind") ?? "text"),
      categoryId: String(data.get("category") ?? ""),
      topic: String(data.get("topic") ?? ""),
      isPrivate: data.get("private") === "on",
    });
    if (!channel) return;
    form.reset();
    router.navigate(channelPath(communityId, channel.id));
    onCreated?.();
  };

  return (
    <form class="create-channel stack" onSubmit={onSubmit} noValidate>
      <label for="new-channel-name">Channel name</label>
      <div class="inline-field">
        <input
          id="new-channel-name"
          name="name"
          placeholder="release-notes"
          autoCapitalize="none"
          spellcheck={false}
          maxLength={CHANNEL_NAME_MAX_LENGTH}
          onInput={(event) => {
            const input = event.currentTarget;
            const slug = channelSlug(input.value);
            if (slug !== input.value) input.value = slug;
          }}
          aria-describedby={describedBy(error ? "new-channel-error" : "new-channel-hint")}
          aria-invalid={error ? true : undefined}
        />
        <button type="submit" disabled={admin.creating.isBusy.value}>
          Create channel
        </button>
      </div>
      {error ? (
        <FormError id="new-channel-error" error={error} />
      ) : (
        <p id="new-channel-hint" class="hint">
          Lower-case words joined by “-”.
        </p>
      )}
      <div class="inline-field">
        <label for="new-channel-kind">Kind</label>
        <select id="new-channel-kind" name="kind">
          <option value="text">Text</option>
          <option value="voice">Voice</option>
        </select>
        {categories.length > 0 && (
          <>
            <label for="new-channel-category">Category</label>
            <select id="new-channel-category" name="category">
              <option value="">None</option>
              {categories.map((category) => (
                <option key={category.id} value={category.id}>
                  {category.name}
                </option>
              ))}
            </select>
          </>
        )}
      </div>
      <label for="new-channel-topic">Topic (optional)</label>
      <input
        id="new-channel-topic"
        name="topic"
        maxLength={CHANNEL_TOPIC_MAX_LENGTH}
        placeholder="What this channel is for"
      />
      <div class="private-choice">
        <input id="new-channel-private" name="private" type="checkbox" aria-describedby="new-channel-private-hint" />
        <label for="new-channel-private">Private channel</label>
        <p id="new-channel-private-hint" class="hint">
          Only you can see it at first; choose who else may in its settings, under Permissions.
        </p>
      </div>
    </form>
  );
}
