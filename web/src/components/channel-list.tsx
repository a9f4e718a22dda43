/**
 * A community's channels as links, grouped under their categories; voice and archived
 * channels say so, unread ones show badges, and under each voice channel who is in its call.
 */
import type { ComponentChildren } from "preact";
import type { ChannelView } from "../../../protocol/index.ts";
import type { Calls } from "../models/calls/calls.ts";
import type { Community } from "../models/community.ts";
import { channelPath, type Router } from "../models/router.ts";
import type { Unread } from "../models/unread.ts";
import { VoiceParticipants } from "./calls/voice-participants.tsx";
import { Icon } from "./shell/icons.tsx";
import { SidebarLink } from "./sidebar-link.tsx";

interface ChannelListProps {
  community: Community;
  communityId: string;
  router: Router;
  unread: Unread;
  openChannelId: string | null;
  /** Who is in each voice channel's call, live. */
  calls?: Calls;
  /** The "+" beside the heading, for those who may create channels. */
  createChannel?: ComponentChildren;
}

export function ChannelList(props: ChannelListProps) {
  const { community, communityId, router, unread, openChannelId, calls } = props;
  const groups = community.groups.value;
  const counts = unread.counts.value;
  const members = community.members.value;
  const nameOf = (userId: string) => members.find((member) => member.userId === userId)?.username ?? "someone";
  const link = (channel: ChannelView) => [
    <SidebarLink
      key={channel.id}
      id={`channel-${channel.id}`}
      href={channelPath(communityId, channel.id)}
      router={router}
      class={channel.isArchived ? "is-archived" : undefined}
      isCurrent={channel.id === openChannelId}
      unread={channel.kind === "voice" ? undefined : counts.get(channel.id)}
    >
      {channel.kind === "voice" ? (
        <>
          <span class="channel-icon" aria-hidden="true">
            <Icon name="speaker" size={18} />
          </span>
          {channel.name}
          <span class="visually-hidden"> voice</span>
        </>
      ) : (
        <>
          <span class="channel-hash">#</span>
          {channel.name}
        </>
      )}
      {channel.isArchived && <span class="tag">archived</span>}
    </SidebarLink>,
    channel.kind === "voice" && calls && (
      <VoiceParticipants
        key={`${channel.id}-people`}
        calls={calls}
        channelId={channel.id}
        channelName={channel.name}
        nameOf={nameOf}
      />
    ),
  ];

  return (
    <nav class="channel-nav" aria-labelledby="channels-heading">
      <div class="list-heading">
        <h3 id="channels-heading">Channels</h3>
        {props.createChannel}
      </div>
      {groups.map((group) =>
        group.category ? (
          <div key={group.category.id} role="group" aria-labelledby={`category-${group.category.id}`}>
            <h4 id={`category-${group.category.id}`} class="category-name">
              {group.category.name}
            </h4>
            <ul class="channel-list">{group.channels.map(link)}</ul>
          </div>
        ) : (
          <ul key="uncategorized" class="channel-list">
            {group.channels.map(link)}
          </ul>
        ),
      )}
      {groups.length === 0 && !community.isLoading.value && (
        <p class="hint sidebar-hint">No channels you can see yet.</p>
      )}
    </nav>
  );
}
