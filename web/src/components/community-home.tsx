/** A community with no channel open: what it is, and what to do next. */
import type { Community } from "../models/community.ts";
import type { Router } from "../models/router.ts";
import { AppLink } from "./app-link.tsx";

export function CommunityHome({ community, router }: { community: Community | null; router: Router }) {
  const view = community?.community.value;
  if (community?.isGone.value) {
    return (
      <section class="pane">
        <p class="placeholder">You are not a member of this community, or it no longer exists.</p>
      </section>
    );
  }
  return (
    <section class="pane" aria-labelledby="community-home-heading">
      <AppLink href="/" router={router} class="back-link">
        ← Communities
      </AppLink>
      <h2 id="community-home-heading">{view?.name ?? "Community"}</h2>
      {view?.description && <p>{view.description}</p>}
      <p class="placeholder">Choose a channel to start reading.</p>
    </section>
  );
}
