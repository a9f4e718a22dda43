/** Creates a community (it starts with #general) and opens its #general (shell/new-community.ts). */
import type { Communities } from "../models/communities.ts";
import { communityPath, type Router } from "../models/router.ts";
import { describedBy, FormError } from "./form-error.tsx";
import { justCreatedId } from "./shell/new-community.ts";

export function CreateCommunityForm({ communities, router }: { communities: Communities; router: Router }) {
  const error = communities.creating.error.value;

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const community = await communities.create(String(new FormData(form).get("name") ?? ""));
    if (!community) return;
    form.reset();
    justCreatedId.value = community.id;
    router.navigate(communityPath(community.id));
  };

  return (
    <form class="stack" onSubmit={onSubmit} noValidate>
      <label for="new-community-name">Community name</label>
      <input
        id="new-community-name"
        name="name"
        maxLength={100}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error && "new-community-error")}
      />
      <FormError id="new-community-error" error={error} />
      <button type="submit" disabled={communities.creating.isBusy.value}>
        Create community
      </button>
    </form>
  );
}
