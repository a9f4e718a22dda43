/** The sidebar's first section: the user's communities as links (with what is unread in them), and creating or joining one. */
import type { Communities } from "../models/communities.ts";
import { communityPath, type Router } from "../models/router.ts";
import type { Unread } from "../models/unread.ts";
import { CreateCommunityForm } from "./create-community-form.tsx";
import { Avatar } from "./avatar.tsx";
import { JoinCommunityForm } from "./join-community-form.tsx";
import { sentence } from "./sentence.ts";
import { SidebarLink } from "./sidebar-link.tsx";

export function CommunityList({
  communities,
  router,
  unread,
}: {
  communities: Communities;
  router: Router;
  unread: Unread;
}) {
  const list = communities.communities.value;
  const counts = unread.byCommunity.value;
  const selectedId = communities.selectedId.value;
  const loadError = communities.loadError.value;
  const isEmpty = list.length === 0 && !communities.isLoading.value && !loadError;

  return (
    <nav class="sidebar-section" aria-labelledby="communities-heading">
      <h2 id="communities-heading">Communities</h2>
      {loadError && (
        <p class="error" role="alert">
          {sentence(loadError)}
        </p>
      )}
      {list.length > 0 && (
        <ul class="channel-list">
          {list.map((community) => (
            <SidebarLink
              key={community.id}
              id={`community-${community.id}`}
              href={communityPath(community.id)}
              router={router}
              isCurrent={community.id === selectedId}
              unread={counts.get(community.id)}
              picture={
                <Avatar
                  name={community.name}
                  id={community.id}
                  url={community.iconUrl}
                  size="small"
                  shape="square"
                  isDecorative
                />
              }
            >
              {community.name}
            </SidebarLink>
          ))}
        </ul>
      )}
      {isEmpty && <p class="hint">You are not in a community yet: create one, or join one with an invite link.</p>}
      {/* Open at first for someone with no community: it is the next thing to do. */}
      <details class="sidebar-form" open={isEmpty}>
        <summary>Create a community</summary>
        <CreateCommunityForm communities={communities} router={router} />
      </details>
      <details class="sidebar-form" open={isEmpty}>
        <summary>Join with an invite</summary>
        <JoinCommunityForm communities={communities} />
      </details>
    </nav>
  );
}
