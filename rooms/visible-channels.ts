/**
 * The community channels a person may view right now, all of them in two statements:
 * their memberships, then the channels and overrides of those communities, each
 * passed through the same permission check a room makes. The HTTP side starts unread
 * counts and search from it (functions/visible-channels.ts); a person's UserSockets
 * object answers "may they see this channel's activity?" from it (ChannelViews), one
 * load for every channel rather than one `channelContext` each.
 */
import { query, type OverrideRecord } from "../db/index.ts";
import { has, Permission } from "../protocol/index.ts";
import { permissionsIn } from "./channel-access.ts";

export interface VisibleCommunityChannels {
  /** The communities the person is a member of: for a channel of any other, the set says nothing. */
  communityIds: Set<string>;
  channelIds: Set<string>;
}

export async function visibleCommunityChannels(
  database: Env["DATABASE"],
  userId: string,
  now: number,
): Promise<VisibleCommunityChannels> {
  const members = await query(database, "memberContextsOfUser", { userId });
  const memberIn = new Map(members.map((member) => [member.community.id, member]));
  const visible: VisibleCommunityChannels = { communityIds: new Set(memberIn.keys()), channelIds: new Set() };
  if (memberIn.size === 0) return visible;
  const { channels, overrides } = await query(database, "channelsOfCommunities", {
    communityIds: [...memberIn.keys()],
  });
  const overridesOf = new Map<string, OverrideRecord[]>();
  for (const override of overrides) {
    overridesOf.set(override.channelId, [...(overridesOf.get(override.channelId) ?? []), override]);
  }
  for (const channel of channels) {
    const member = memberIn.get(channel.communityId!);
    if (!member) continue;
    const context = { scope: "community" as const, channel, member, overrides: overridesOf.get(channel.id) ?? [] };
    if (has(permissionsIn(context, userId, now), Permission.VIEW_CHANNEL)) visible.channelIds.add(channel.id);
  }
  return visible;
}

/** A channel and its community (null for a DM): what a visibility answer is asked about. */
export interface ChannelPlace {
  channelId: string;
  communityId: string | null;
}

/** Answers are forgotten by every access change (ChannelViews.forget); this bound covers a lost one. */
const VIEWS_MAX_AGE_MS = 60_000;
/** After a failed load (the database busy or away), asked again this soon. */
const VIEWS_RETRY_MS = 2_000;

/**
 * Whether one person may view a channel, for the activity and call frames their account
 * sockets hear. A community's busy channels each send activity every second to every
 * online member: answered with one `channelContext` query per member and channel, 63
 * online members and 50 busy channels asked 3,150 at once and starved the pool the
 * appends wait on (bench/README.md, "Latency ladder"). One load of every channel the
 * person may view answers every channel of their communities, hidden ones included; a
 * channel of a community joined since, or a DM, is asked on its own, and that answer kept
 * as long. While a load fails, community channels are hidden for a few seconds.
 */
export class ChannelViews {
  #all: { visible: Promise<VisibleCommunityChannels | null>; until: number } | undefined;
  #one = new Map<string, { isVisible: Promise<boolean>; until: number }>();
  readonly database: Env["DATABASE"];

  constructor(database: Env["DATABASE"]) {
    this.database = database;
  }

  /** Access may have changed: every answer is asked again. */
  forget(): void {
    this.#all = undefined;
    this.#one.clear();
  }

  async canView(userId: string, { channelId, communityId }: ChannelPlace): Promise<boolean> {
    if (communityId === null) return this.#canViewOne(userId, channelId);
    const now = Date.now();
    if (!this.#all || now >= this.#all.until) {
      const loading = visibleCommunityChannels(this.database, userId, now).catch(() => {
        if (this.#all?.visible === loading) this.#all.until = Date.now() + VIEWS_RETRY_MS;
        return null;
      });
      this.#all = { visible: loading, until: now + VIEWS_MAX_AGE_MS };
    }
    const visible = await this.#all.visible;
    if (!visible) return false;
    if (visible.channelIds.has(channelId)) return true;
    if (visible.communityIds.has(communityId)) return false;
    return this.#canViewOne(userId, channelId);
  }

  #canViewOne(userId: string, channelId: string): Promise<boolean> {
    const cached = this.#one.get(channelId);
    if (cached && Date.now() < cached.until) return cached.isVisible;
    const isVisible = query(this.database, "channelContext", { channelId, userId }).then(
      (context) => !!context && has(permissionsIn(context, userId, Date.now()), Permission.VIEW_CHANNEL),
      () => {
        // A failed check is no answer: the channel's activity is hidden for a few seconds,
        // not for as long as a real answer is kept.
        this.#one.set(channelId, { isVisible: Promise.resolve(false), until: Date.now() + VIEWS_RETRY_MS });
        return false;
      },
    );
    this.#one.set(channelId, { isVisible, until: Date.now() + VIEWS_MAX_AGE_MS });
    return isVisible;
  }
}
