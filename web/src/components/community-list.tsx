/** The sidebar's first section: the user's communities as links, and creating or joining one. */
import type { Communities } from "../models/communities.ts";
import { communityPath, type Router } from "../models/router.ts";
import { AppLink } from "./app-link.tsx";
import { CreateCommunityForm } from "./create-community-form.tsx";
import { JoinCommunityForm } from "./join-community-form.tsx";
import { sentence } from "./sentence.ts";

export function CommunityList({ communities, router }: { communities: Communities; router: Router }) {
  const list = communities.communities.value;
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
            <li key={community.id}>
              <AppLink href={communityPath(community.id)} router={router} isCurrent={community.id === selectedId}>
                {community.name}
              </AppLink>
            </li>
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
