/**
 * A community with no channel open: its banner, icon and name, what it is, what to do
 * next, and for those who may manage it, its pictures.
 */
import type { CommunityView } from "../../../protocol/index.ts";
import type { Community } from "../models/community.ts";
import type { Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import { AppLink } from "./app-link.tsx";
import { Avatar } from "./avatar.tsx";
import { CommunityPicturesForm } from "./community-pictures-form.tsx";

interface CommunityHomeProps {
  community: Community | null;
  router: Router;
  session: Session;
  /** A picture changed: the sidebar's list shows it too. */
  onChange(community: CommunityView): void;
}

export function CommunityHome({ community, router, session, onChange }: CommunityHomeProps) {
  const view = community?.community.value;
  if (community?.isGone.value) {
    return (
      <section class="pane">
        <p class="placeholder">You are not a member of this community, or it no longer exists.</p>
      </section>
    );
  }
  const canManage = community?.myPermissions.value.some(
    (name) => name === "MANAGE_COMMUNITY" || name === "ADMINISTRATOR",
  );
  return (
    <section class="pane community-home" aria-labelledby="community-home-heading">
      <AppLink href="/" router={router} class="back-link">
        ← Communities
      </AppLink>
      {view?.bannerUrl && <img class="community-banner" src={view.bannerUrl} alt="" />}
      <div class="community-title">
        {view && <Avatar name={view.name} id={view.id} url={view.iconUrl} size="huge" shape="square" isDecorative />}
        <h2 id="community-home-heading">{view?.name ?? "Community"}</h2>
      </div>
      {view?.description && <p>{view.description}</p>}
      <p class="placeholder">Choose a channel to start reading.</p>
      {view && canManage && (
        <details class="community-settings">
          <summary>Community pictures</summary>
          <CommunityPicturesForm
            key={view.id}
            session={session}
            community={view}
            onChange={(changed) => {
              community!.community.value = changed;
              onChange(changed);
            }}
          />
        </details>
      )}
    </section>
  );
}
