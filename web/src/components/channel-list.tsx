/**
 * A community's channels as links, grouped under their categories; voice and archived
 * channels say so, unread ones show badges, and under each voice channel who is in its call.
 * For those who may manage channels: a gear and a menu on each channel, a menu on each
 * category, creating categories, and reordering by drag or keyboard (channel-settings/).
 */
import { useModel } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useMemo } from "preact/hooks";
import type { ChannelView } from "../../../protocol/index.ts";
import type { Calls } from "../models/calls/calls.ts";
import { ChannelAdminModel, sidebarGroups, type ChannelAdmin, type SidebarGroup } from "../models/channel-admin.ts";
import type { Community } from "../models/community.ts";
import type { Router } from "../models/router.ts";
import type { Session } from "../models/session.ts";
import type { Unread } from "../models/unread.ts";
import { VoiceParticipants } from "./calls/voice-participants.tsx";
import { CategoryHeader } from "./channel-settings/category-header.tsx";
import { ChannelRow } from "./channel-settings/channel-row.tsx";
import { CreateCategoryButton } from "./channel-settings/create-category-form.tsx";
import { createSidebarDrag } from "./channel-settings/sidebar-drag.ts";
import "./channel-settings/channel-admin.css";
import { Icon } from "./shell/icons.tsx";

interface ChannelListProps {
  community: Community;
  communityId: string;
  router: Router;
  unread: Unread;
  openChannelId: string | null;
  /** Managing channels needs it (requests); without it the list only shows. */
  session?: Session;
  /** Who is in each voice channel's call, live. */
  calls?: Calls;
  /** The "+" beside the heading, for those who may create channels. */
  createChannel?: ComponentChildren;
}

export function ChannelList(props: ChannelListProps) {
  const { community, session } = props;
  const isManager = community.canManageChannels.value && !!session;
  return isManager ? <ManagedChannelList {...props} session={session} /> : <Channels {...props} admin={null} />;
}

function ManagedChannelList(props: ChannelListProps & { session: Session }) {
  const admin = useModel(() => new ChannelAdminModel(props.communityId, props.session, props.community));
  return <Channels {...props} admin={admin} />;
}

function Channels(props: ChannelListProps & { admin: ChannelAdmin | null }) {
  const { community, communityId, router, unread, openChannelId, calls, admin } = props;
  const drag = useMemo(createSidebarDrag, []);
  const groups = sidebarGroups(community.categories.value, community.channels.value, !!admin);
  const counts = unread.counts.value;
  const members = community.members.value;
  const nameOf = (userId: string) => members.find((member) => member.userId === userId)?.username ?? "someone";
  let categoryIndex = 0;

  const row = (group: SidebarGroup) => (channel: ChannelView) => [
    <ChannelRow
      key={channel.id}
      channel={channel}
      group={group}
      communityId={communityId}
      router={router}
      isCurrent={channel.id === openChannelId}
      unread={channel.kind === "voice" ? undefined : counts.get(channel.id)}
      admin={admin}
      drag={drag}
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
    </ChannelRow>,
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
        <span class="list-heading-tools">
          {admin && <CreateCategoryButton admin={admin} />}
          {props.createChannel}
        </span>
      </div>
      {groups.map((group) =>
        group.category ? (
          <div key={group.category.id} role="group" aria-labelledby={`category-${group.category.id}`}>
            <CategoryHeader category={group.category} index={categoryIndex++} admin={admin} drag={drag} />
            <ul class="channel-list">{group.channels.map(row(group))}</ul>
          </div>
        ) : (
          <ul key="uncategorized" class="channel-list">
            {group.channels.map(row(group))}
          </ul>
        ),
      )}
      {groups.length === 0 && !community.isLoading.value && (
        <p class="hint sidebar-hint">No channels you can see yet.</p>
      )}
      {admin && (
        <>
          <p class="visually-hidden" role="status">
            {admin.announcement.value}
          </p>
          {admin.moving.error.value && (
            <p class="error sidebar-hint" role="alert">
              Could not move it: {admin.moving.error.value}
            </p>
          )}
        </>
      )}
    </nav>
  );
}
