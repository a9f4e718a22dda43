/**
 * Running a community's channels, for those who may manage them: creating a channel
 * (topic, private), changing or deleting one, categories, and reordering both by drag or
 * by keyboard. A reorder is sent whole in one request (PUT /communities/:id/layout) and
 * shown once the server took it: it can refuse (a channel deleted meanwhile). Others'
 * pages hear of every change through the account socket and read the list again.
 */
import { createModel, signal } from "@preact/signals";
import {
  createChannelSchema,
  updateChannelSchema,
  type CategoryView,
  type ChannelView,
  type LayoutChange,
} from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import type { Community } from "./community.ts";
import type { Session } from "./session.ts";

export interface SidebarGroup {
  /** Null for the channels outside any category, listed first. */
  category: CategoryView | null;
  channels: ChannelView[];
}

export interface NewChannel {
  name: string;
  kind: string;
  categoryId: string;
  topic: string;
  isPrivate: boolean;
}

export type ChannelChanges = Partial<
  Pick<
    ChannelView,
    "name" | "topic" | "categoryId" | "slowModeSeconds" | "isReadOnly" | "isArchived" | "newcomerHistory"
  >
>;

const byPosition = <T extends { position: number; name: string }>(a: T, b: T) =>
  a.position - b.position || a.name.localeCompare(b.name);

/**
 * The sidebar's groups in order: the uncategorised channels, then each category with its
 * channels. Empty categories stay when `keepsEmpty` (a manager drops channels into them).
 */
export function sidebarGroups(
  categories: readonly CategoryView[],
  channels: readonly ChannelView[],
  keepsEmpty: boolean,
): SidebarGroup[] {
  const sorted = [...channels].sort(byPosition);
  const known = new Set(categories.map((category) => category.id));
  const groups: SidebarGroup[] = [
    { category: null, channels: sorted.filter((channel) => !channel.categoryId || !known.has(channel.categoryId)) },
    ...[...categories].sort(byPosition).map((category) => ({
      category,
      channels: sorted.filter((channel) => channel.categoryId === category.id),
    })),
  ];
  return groups.filter((group) => group.channels.length > 0 || (keepsEmpty && group.category));
}

/** Every visible category and channel at its index: the body of one layout request. */
export function layoutOf(groups: readonly SidebarGroup[]): LayoutChange {
  return {
    categories: groups
      .flatMap((group) => (group.category ? [group.category] : []))
      .map(({ id }, position) => ({ id, position })),
    channels: groups.flatMap((group) =>
      group.channels.map(({ id }, position) => ({ id, categoryId: group.category?.id ?? null, position })),
    ),
  };
}

/** Where a channel lands: a category (null: none) and its index there. */
export interface ChannelPlace {
  categoryId: string | null;
  index: number;
}

/** The groups with one channel taken out and put at `place`. */
export function withChannelAt(groups: readonly SidebarGroup[], channelId: string, place: ChannelPlace): SidebarGroup[] {
  const moving = groups.flatMap((group) => group.channels).find((channel) => channel.id === channelId);
  if (!moving) return [...groups];
  const hasNone = groups.some((group) => group.category === null);
  const all = hasNone ? groups : [{ category: null, channels: [] }, ...groups];
  return all.map((group) => {
    const rest = group.channels.filter((channel) => channel.id !== channelId);
    if ((group.category?.id ?? null) !== place.categoryId) return { ...group, channels: rest };
    const index = Math.max(0, Math.min(place.index, rest.length));
    return { ...group, channels: [...rest.slice(0, index), moving, ...rest.slice(index)] };
  });
}

/**
 * One step up or down, as Alt+Shift+↑/↓ does: within its group, and past the group's
 * edge into the end of the previous group or the start of the next one.
 */
export function stepPlace(groups: readonly SidebarGroup[], channelId: string, step: -1 | 1): ChannelPlace | null {
  const at = groups.findIndex((group) => group.channels.some((channel) => channel.id === channelId));
  if (at < 0) return null;
  const group = groups[at]!;
  const index = group.channels.findIndex((channel) => channel.id === channelId);
  const next = index + step;
  if (next >= 0 && next < group.channels.length) return { categoryId: group.category?.id ?? null, index: next };
  const neighbour = groups[at + step];
  if (!neighbour) return null;
  return { categoryId: neighbour.category?.id ?? null, index: step < 0 ? neighbour.channels.length : 0 };
}

/** The groups with one category moved to `index` among the categories. */
export function withCategoryAt(groups: readonly SidebarGroup[], categoryId: string, index: number): SidebarGroup[] {
  const loose = groups.filter((group) => !group.category);
  const categorised = groups.filter((group) => group.category);
  const moving = categorised.find((group) => group.category!.id === categoryId);
  if (!moving) return [...groups];
  const rest = categorised.filter((group) => group !== moving);
  const at = Math.max(0, Math.min(index, rest.length));
  return [...loose, ...rest.slice(0, at), moving, ...rest.slice(at)];
}

/** "#general is now 2nd of 3 in Text channels." */
export function placeInWords(groups: readonly SidebarGroup[], channelId: string): string {
  for (const group of groups) {
    const index = group.channels.findIndex((channel) => channel.id === channelId);
    if (index < 0) continue;
    const where = group.category ? `in ${group.category.name}` : "outside any category";
    return `#${group.channels[index]!.name} moved: position ${index + 1} of ${group.channels.length} ${where}.`;
  }
  return "";
}

export const ChannelAdminModel = createModel((communityId: string, session: Session, community: Community) => {
  const path = `/api/communities/${encodeURIComponent(communityId)}`;
  const creating = createAction();
  const saving = createAction();
  const deleting = createAction();
  const categoryAction = createAction();
  const moving = createAction();
  /** Said to screen readers after a move (an aria-live region shows it). */
  const announcement = signal("");

  const groups = () => sidebarGroups(community.categories.peek(), community.channels.peek(), true);

  /** Sends the whole layout; once the server took it, shows it here too. */
  async function sendLayout(next: SidebarGroup[]): Promise<boolean> {
    const layout = layoutOf(next);
    const done = await moving.run(() =>
      session.request(`${path}/layout`, { method: "PUT", body: layout }).then(() => true),
    );
    if (!done) {
      void community.load();
      return false;
    }
    const channelPlaces = new Map(layout.channels.map((place) => [place.id, place]));
    const categoryPlaces = new Map(layout.categories.map((place) => [place.id, place.position]));
    community.channels.value = community.channels.peek().map((channel) => {
      const place = channelPlaces.get(channel.id);
      return place ? { ...channel, categoryId: place.categoryId, position: place.position } : channel;
    });
    community.categories.value = community.categories
      .peek()
      .map((category) => ({ ...category, position: categoryPlaces.get(category.id) ?? category.position }));
    return true;
  }

  async function moveChannel(channelId: string, place: ChannelPlace): Promise<boolean> {
    const next = withChannelAt(groups(), channelId, place);
    const moved = await sendLayout(next);
    if (moved) announcement.value = placeInWords(next, channelId);
    return moved;
  }

  return {
    creating,
    saving,
    deleting,
    categoryAction,
    moving,
    announcement,
    /** The new channel, or null with `creating.error` saying why not. */
    async createChannel(input: NewChannel): Promise<ChannelView | null> {
      const parsed = createChannelSchema.safeParse({
        name: input.name.trim(),
        kind: input.kind || undefined,
        categoryId: input.categoryId || undefined,
        topic: input.topic.trim() || undefined,
        isPrivate: input.isPrivate || undefined,
      });
      if (!parsed.success) {
        creating.fail(parsed.error.issues[0]?.message ?? "check the channel name");
        return null;
      }
      const answer = await creating.run(() =>
        session.request<{ channel: ChannelView }>(`${path}/channels`, { method: "POST", body: parsed.data }),
      );
      if (!answer) return null;
      community.channels.value = [
        ...community.channels.peek().filter((known) => known.id !== answer.channel.id),
        answer.channel,
      ];
      return answer.channel;
    },
    /** The channel as saved, or null with `saving.error` saying why not. */
    async saveChannel(channelId: string, changes: ChannelChanges): Promise<ChannelView | null> {
      const parsed = updateChannelSchema.safeParse(changes);
      if (!parsed.success) {
        saving.fail(parsed.error.issues[0]?.message ?? "check the settings");
        return null;
      }
      const answer = await saving.run(() =>
        session.request<{ channel: ChannelView }>(`/api/channels/${encodeURIComponent(channelId)}`, {
          method: "PATCH",
          body: parsed.data,
        }),
      );
      if (!answer) return null;
      community.channels.value = community.channels
        .peek()
        .map((known) => (known.id === channelId ? answer.channel : known));
      return answer.channel;
    },
    async deleteChannel(channelId: string): Promise<boolean> {
      const done = await deleting.run(() =>
        session.request(`/api/channels/${encodeURIComponent(channelId)}`, { method: "DELETE" }).then(() => true),
      );
      if (done) community.channels.value = community.channels.peek().filter((known) => known.id !== channelId);
      return !!done;
    },
    async createCategory(name: string): Promise<CategoryView | null> {
      const position = community.categories.peek().reduce((top, category) => Math.max(top, category.position + 1), 0);
      const answer = await categoryAction.run(() =>
        session.request<{ category: CategoryView }>(`${path}/categories`, {
          method: "POST",
          body: { name: name.trim(), position },
        }),
      );
      if (answer) community.categories.value = [...community.categories.peek(), answer.category];
      return answer?.category ?? null;
    },
    async renameCategory(categoryId: string, name: string): Promise<boolean> {
      const answer = await categoryAction.run(() =>
        session.request<{ category: CategoryView }>(`${path}/categories/${encodeURIComponent(categoryId)}`, {
          method: "PATCH",
          body: { name: name.trim() },
        }),
      );
      if (answer)
        community.categories.value = community.categories
          .peek()
          .map((category) => (category.id === categoryId ? answer.category : category));
      return !!answer;
    },
    /** Deletes a category; its channels fall out to no category. */
    async deleteCategory(categoryId: string): Promise<boolean> {
      const done = await categoryAction.run(() =>
        session.request(`${path}/categories/${encodeURIComponent(categoryId)}`, { method: "DELETE" }).then(() => true),
      );
      if (!done) return false;
      community.categories.value = community.categories.peek().filter((category) => category.id !== categoryId);
      community.channels.value = community.channels
        .peek()
        .map((channel) => (channel.categoryId === categoryId ? { ...channel, categoryId: null } : channel));
      return true;
    },
    moveChannel,
    /** One step up or down (the keyboard's and the menu's "Move up/down"); false at either end. */
    async stepChannel(channelId: string, step: -1 | 1): Promise<boolean> {
      const place = stepPlace(groups(), channelId, step);
      if (!place) {
        announcement.value = `Already ${step < 0 ? "first" : "last"}.`;
        return false;
      }
      return moveChannel(channelId, place);
    },
    async moveCategory(categoryId: string, index: number): Promise<boolean> {
      const next = withCategoryAt(groups(), categoryId, index);
      const moved = await sendLayout(next);
      const name = community.categories.peek().find((category) => category.id === categoryId)?.name ?? "";
      const categorised = next.filter((group) => group.category);
      const at = categorised.findIndex((group) => group.category!.id === categoryId);
      if (moved) announcement.value = `${name} moved: position ${at + 1} of ${categorised.length} categories.`;
      return moved;
    },
  };
});

export type ChannelAdmin = InstanceType<typeof ChannelAdminModel>;
