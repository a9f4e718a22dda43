/**
 * Above the channel of a community with no one in it yet but its creator: a welcome
 * naming it and a prompt to invite people, with the link made in place.
 */
import { useSignal } from "@preact/signals";
import type { Community } from "../../models/community.ts";
import { InviteLink } from "../invite-panel.tsx";
import { Icon } from "./icons.tsx";

export function CommunityWelcome({ community }: { community: Community }) {
  const showsLink = useSignal(false);
  const name = community.community.value?.name;
  if (!name || community.members.value.length !== 1 || !community.canCreateInvites.value) return null;
  return (
    <section class="community-welcome" aria-labelledby="community-welcome-heading">
      <h2 id="community-welcome-heading">Welcome to {name} — invite people to start</h2>
      <p>A community is its people: send them a link, and they join in one click.</p>
      {showsLink.value ? (
        <InviteLink community={community} onDone={() => (showsLink.value = false)} />
      ) : (
        <button
          type="button"
          class="primary"
          onClick={() => {
            if (!community.createdInvite.peek()) void community.createInvite();
            showsLink.value = true;
          }}
        >
          <Icon name="personAdd" size={18} /> Get an invite link
        </button>
      )}
    </section>
  );
}
