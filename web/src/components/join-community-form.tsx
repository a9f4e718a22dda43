/** Joins a community from an invite someone sent: the link, or just its code. */
import type { Communities } from "../models/communities.ts";
import { describedBy, FormError } from "./form-error.tsx";

export function JoinCommunityForm({ communities }: { communities: Communities }) {
  const error = communities.joinForm.error.value;

  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    if (communities.openInvite(String(new FormData(form).get("invite") ?? ""))) form.reset();
  };

  return (
    <form class="stack" onSubmit={onSubmit} noValidate>
      <label for="join-invite">Invite link or code</label>
      <input
        id="join-invite"
        name="invite"
        autoComplete="off"
        autoCapitalize="none"
        spellcheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error && "join-invite-error")}
      />
      <FormError id="join-invite-error" error={error} />
      <button type="submit">Join community</button>
    </form>
  );
}
