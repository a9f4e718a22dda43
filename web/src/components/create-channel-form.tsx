/** Creates a channel in the community (for those who may manage channels) and opens it. */
import type { Community } from "../models/community.ts";
import { channelPath, type Router } from "../models/router.ts";
import { describedBy, FormError } from "./form-error.tsx";

interface CreateChannelFormProps {
  community: Community;
  communityId: string;
  router: Router;
}

export function CreateChannelForm({ community, communityId, router }: CreateChannelFormProps) {
  const error = community.creatingChannel.error.value;
  const categories = community.categories.value;

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const channel = await community.createChannel({
      name: String(data.get("name") ?? ""),
      kind: String(data.get("kind") ?? "text"),
      categoryId: String(data.get("category") ?? ""),
    });
    if (!channel) return;
    form.reset();
    router.navigate(channelPath(communityId, channel.id));
  };

  return (
    <form class="create-channel" onSubmit={onSubmit} noValidate>
      <label for="new-channel-name">Channel name</label>
      <div class="inline-field">
        <input
          id="new-channel-name"
          name="name"
          placeholder="release-notes"
          autoCapitalize="none"
          spellcheck={false}
          aria-describedby={describedBy(error ? "new-channel-error" : "new-channel-hint")}
          aria-invalid={error ? true : undefined}
        />
        <button type="submit" disabled={community.creatingChannel.isBusy.value}>
          Create channel
        </button>
      </div>
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
      {error ? (
        <FormError id="new-channel-error" error={error} />
      ) : (
        <p id="new-channel-hint" class="hint">
          Lower-case words joined by “-”.
        </p>
      )}
    </form>
  );
}
