/**
 * One community as its member sees it: what they may do there, its channels
 * grouped by category (only those they may view, as the server lists them), its
 * members, and the two things the sidebar offers those allowed: creating a
 * channel and creating an invite link.
 */
import { computed, createModel, effect, signal } from "@preact/signals";
import {
  createChannelSchema,
  type CategoryView,
  type ChannelView,
  type CommunityView,
  type InviteView,
  type MemberView,
} from "../../../protocol/index.ts";
import type { AccountEvents } from "./account-events.ts";
import { createAction } from "./action.ts";
import { ApiError, describeError } from "./api-client.ts";
import { latestOnly } from "./latest-only.ts";
import { ownStanding } from "./moderation.ts";
import { profiles } from "./profiles.ts";
import { RolesModel } from "./roles.ts";
import type { Session } from "./session.ts";

/** New invite links work for a week unless someone revokes them. */
const INVITE_LIFETIME_HOURS = 7 * 24;

export interface ChannelGroup {
  /** Null for the channels outside any category, listed first. */
  category: CategoryView | null;
  channels: ChannelView[];
}

export interface CreatedInvite {
  invite: InviteView;
  code: string;
  link: string;
}

/** Categories in their order, each with its channels in theirs; empty categories are left out. */
export function groupChannels(categories: readonly CategoryView[], channels: readonly ChannelView[]): ChannelGroup[] {
  const byPosition = <T extends { position: number; name: string }>(a: T, b: T) =>
    a.position - b.position || a.name.localeCompare(b.name);
  const sortedChannels = [...channels].sort(byPosition);
  const known = new Set(categories.map((category) => category.id));
  const groups: ChannelGroup[] = [
    {
      category: null,
      channels: sortedChannels.filter((channel) => !channel.categoryId || !known.has(channel.categoryId)),
    },
    ...[...categories].sort(byPosition).map((category) => ({
      category,
      channels: sortedChannels.filter((channel) => channel.categoryId === category.id),
    })),
  ];
  return groups.filter((group) => group.channels.length > 0);
}

export const CommunityModel = createModel((communityId: string, session: Session, events: AccountEvents) => {
  const ownUserId = session.user.peek()?.id ?? "";
  const path = `/api/communities/${encodeURIComponent(communityId)}`;
  const community = signal<CommunityView | null>(null);
  const myPermissions = signal<string[]>([]);
  const categories = signal<CategoryView[]>([]);
  const channels = signal<ChannelView[]>([]);
  const members = signal<MemberView[]>([]);
  const isLoading = signal(true);
  const loadError = signal<string | null>(null);
  /** True once the server says the user is not (or no longer) a member. */
  const isGone = signal(false);
  const creatingChannel = createAction();
  const inviting = createAction();
  const leaving = createAction();
  const createdInvite = signal<CreatedInvite | null>(null);
  /** Whether the last copy of the invite link reached the clipboard. */
  const inviteCopy = signal<"copied" | "refused" | null>(null);

  const nextLoad = latestOnly();

  async function load(): Promise<void> {
    const isLatest = nextLoad();
    loadError.value = null;
    try {
      const [detail, layout, roster] = await Promise.all([
        session.request<{ community: CommunityView; myPermissions: string[] }>(path),
        session.request<{ categories: CategoryView[]; channels: ChannelView[] }>(`${path}/channels`),
        session.request<{ members: MemberView[] }>(`${path}/members`),
      ]);
      if (!isLatest()) return;
      community.value = detail.community;
      myPermissions.value = detail.myPermissions;
      categories.value = layout.categories;
      channels.value = layout.channels;
      members.value = roster.members;
      profiles.remember(roster.members);
      isGone.value = false;
    } catch (caught) {
      if (!isLatest()) return;
      // Kicked, banned, left, or a link to someone else's community: the server does not say which.
      if (caught instanceof ApiError && caught.status === 404) isGone.value = true;
      else loadError.value = describeError(caught);
    } finally {
      isLoading.value = false;
    }
  }
  void load();
  effect(() =>
    events.listen((news) => {
      const isOurs = news.type === "changed" && news.communityId === communityId;
      if (isOurs && (news.scope === "channels" || news.scope === "members")) void load();
      // Its name, description or pictures changed (community settings); a deletion answers 404.
      else if (
        news.type === "changed" &&
        news.scope === "communities" &&
        (news.communityId ?? communityId) === communityId
      )
        void load();
      else if (news.type === "reconnected") void load();
    }),
  );
  // The server tells only the person who joined, not the other members; but the newcomer's presence
  // reaches them. Someone present who is not in the list makes it be read again, once per person.
  const askedAbout = new Set<string>();
  effect(() => {
    const isListed = (userId: string) => members.peek().some((member) => member.userId === userId);
    const unknown = [...events.statuses.value.keys()].filter((userId) => !askedAbout.has(userId) && !isListed(userId));
    if (unknown.length === 0 || isLoading.peek()) return;
    for (const userId of unknown) askedAbout.add(userId);
    void load();
  });
  // Coming back to the tab covers an account socket that was down.
  effect(() => {
    const onFocus = () => void load();
    addEventListener("focus", onFocus);
    return () => removeEventListener("focus", onFocus);
  });

  // The composer says until when, and why, the viewer is timed out here (models/moderation.ts).
  effect(() => ownStanding.note(communityId, members.value.find((member) => member.userId === ownUserId) ?? null));

  const can = (permission: string) => computed(() => myPermissions.value.includes(permission));
  /** Its roles, kept live; they colour names and group the member list (models/roles.ts). */
  const roles = new RolesModel(communityId, session, events, community, members, myPermissions, load);

  return {
    community,
    myPermissions,
    channels,
    members,
    isLoading,
    loadError,
    isGone,
    creatingChannel,
    inviting,
    leaving,
    createdInvite,
    inviteCopy,
    groups: computed(() => groupChannels(categories.value, channels.value)),
    categories,
    roles,
    canManageChannels: can("MANAGE_CHANNELS"),
    canCreateInvites: can("CREATE_INVITES"),
    /** The user's own membership: when they are timed out, for one. */
    me: computed(() => members.value.find((member) => member.userId === ownUserId) ?? null),
    load,
    /** The new channel, or null with `creatingChannel.error` saying why not. */
    async createChannel(input: { name: string; kind: string; categoryId: string }): Promise<ChannelView | null> {
      const parsed = createChannelSchema.safeParse({
        name: input.name.trim(),
        kind: input.kind || undefined,
        categoryId: input.categoryId || undefined,
      });
      if (!parsed.success) {
        creatingChannel.fail(parsed.error.issues[0]?.message ?? "check the channel name");
        return null;
      }
      const answer = await creatingChannel.run(() =>
        session.request<{ channel: ChannelView }>(`${path}/channels`, { method: "POST", body: parsed.data }),
      );
      if (!answer) return null;
      channels.value = [...channels.value.filter((known) => known.id !== answer.channel.id), answer.channel];
      return answer.channel;
    },
    /** A fresh invite link, kept in `createdInvite` to show and copy; a week and any number of uses unless `body` says. */
    async createInvite(body: { expiresInMinutes?: number; maxUses?: number } | null = null): Promise<void> {
      const answer = await inviting.run(() =>
        session.request<CreatedInvite>(`${path}/invites`, {
          method: "POST",
          body: body ?? { expiresInHours: INVITE_LIFETIME_HOURS },
        }),
      );
      if (answer) createdInvite.value = answer;
      inviteCopy.value = null;
    },
    async copyInvite(): Promise<void> {
      const link = createdInvite.peek()?.link;
      if (!link) return;
      try {
        // Only on https and localhost; elsewhere the user copies from the selected field.
        await navigator.clipboard.writeText(link);
        inviteCopy.value = "copied";
      } catch {
        inviteCopy.value = "refused";
      }
    },
    /** Leaves the community (never its owner, who hands it over first); false with `leaving.error` saying why not. */
    async leave(): Promise<boolean> {
      const left = await leaving.run(() => session.request(`${path}/leave`, { method: "POST" }).then(() => true));
      if (left) isGone.value = true;
      return !!left;
    },
    dismissInvite() {
      createdInvite.value = null;
      inviteCopy.value = null;
      inviting.reset();
    },
  };
});

export type Community = InstanceType<typeof CommunityModel>;
