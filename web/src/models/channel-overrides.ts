/**
 * Channel settings > Permissions: the channel's overrides per role and per member, the
 * unsaved changes (three states per permission: allow, inherit, deny), saving them all in
 * one request the server applies all or none of, and a "view as role" preview worked out
 * with protocol/permissions.ts's channelPermissions, the function the server uses.
 */
import { computed, createModel, effect, signal } from "@preact/signals";
import {
  channelPermissions,
  Permission,
  type ChannelView,
  type CommunityOverridesView,
  type OverrideView,
  type PermissionName,
  type RoleView,
} from "../../../protocol/index.ts";
import type { AccountEvents } from "./account-events.ts";
import { createAction } from "./action.ts";
import type { Community } from "./community.ts";
import { latestOnly } from "./latest-only.ts";
import { flagsOfNames } from "./roles.ts";
import type { Session } from "./session.ts";

export type OverrideState = "allow" | "inherit" | "deny";

/** One override as edited: whose, and the names allowed and denied. */
export interface EditedOverride {
  /** `role:<id>` or `member:<id>`. */
  key: string;
  roleId: string | null;
  userId: string | null;
  allow: string[];
  deny: string[];
}

const keyOf = (override: Pick<OverrideView, "roleId" | "userId">) =>
  override.roleId ? `role:${override.roleId}` : `member:${override.userId}`;
const edited = (override: OverrideView): EditedOverride => ({
  key: keyOf(override),
  roleId: override.roleId,
  userId: override.userId,
  allow: [...override.allow],
  deny: [...override.deny],
});
const sameNames = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((n) => b.includes(n));

/** What a role may do in a channel: the role alone (@everyone's base under it), no member override. */
export function rolePermissionsIn(
  role: RoleView,
  everyone: RoleView,
  channel: Pick<ChannelView, "isArchived" | "isReadOnly">,
  overrides: readonly Pick<OverrideView, "roleId" | "allow" | "deny">[],
): number {
  const asRole = (view: RoleView) => ({
    id: view.id,
    position: view.position,
    permissions: flagsOfNames(view.permissions),
  });
  const roleOverrides = Object.fromEntries(
    overrides.flatMap((override) =>
      override.roleId
        ? [[override.roleId, { allow: flagsOfNames(override.allow), deny: flagsOfNames(override.deny) }]]
        : [],
    ),
  );
  return channelPermissions(
    { isOwner: false, everyone: asRole(everyone), roles: role.isEveryone ? [] : [asRole(role)], timedOutUntil: null },
    { isArchived: channel.isArchived, isReadOnly: channel.isReadOnly, roleOverrides, memberOverride: null },
    Date.now(),
  );
}

export const ChannelOverridesModel = createModel(
  (session: Session, community: Community, events: AccountEvents, communityId: string, channelId: string) => {
    const saved = signal<EditedOverride[]>([]);
    const draft = signal<EditedOverride[]>([]);
    const selectedKey = signal<string | null>(null);
    const loadError = signal<string | null>(null);
    const isLoading = signal(true);
    const saving = createAction();
    /** Every channel's saved overrides, for the preview. */
    const allChannels = signal<CommunityOverridesView["channels"]>([]);
    const previewRoleId = signal<string | null>(null);
    const nextLoad = latestOnly();

    const changes = computed(() => {
      const before = new Map(saved.value.map((override) => [override.key, override]));
      const now = new Map(draft.value.map((override) => [override.key, override]));
      const changed: EditedOverride[] = [];
      for (const override of draft.value) {
        const old = before.get(override.key);
        if (!old || !sameNames(old.allow, override.allow) || !sameNames(old.deny, override.deny))
          changed.push(override);
      }
      // One removed from the list is saved as allowing and denying nothing, which removes it.
      for (const old of saved.value) if (!now.has(old.key)) changed.push({ ...old, allow: [], deny: [] });
      return changed;
    });
    const isDirty = computed(() => changes.value.length > 0);

    async function load(): Promise<void> {
      const isLatest = nextLoad();
      try {
        const [mine, all] = await Promise.all([
          session.request<{ overrides: OverrideView[] }>(`/api/channels/${encodeURIComponent(channelId)}/overrides`),
          session.request<CommunityOverridesView>(`/api/communities/${encodeURIComponent(communityId)}/overrides`),
        ]);
        if (!isLatest()) return;
        const list = mine.overrides.map(edited);
        const wasDirty = isDirty.peek();
        saved.value = list;
        allChannels.value = all.channels;
        if (!wasDirty) draft.value = list;
        loadError.value = null;
        if (!selectedKey.peek() && draft.peek().length > 0) selectedKey.value = draft.peek()[0]!.key;
      } catch (caught) {
        if (isLatest()) loadError.value = caught instanceof Error ? caught.message : String(caught);
      } finally {
        isLoading.value = false;
      }
    }
    void load();
    effect(() =>
      events.listen((news) => {
        if (news.type === "reconnected") void load();
        else if (news.type === "changed" && news.communityId === communityId && news.scope === "channels") void load();
      }),
    );

    const everyone = computed(() => community.roles.roles.value.find((role) => role.isEveryone) ?? null);
    /** The channels of the community the viewer sees, each with what the previewed role gets there. */
    const preview = computed(() => {
      const role = community.roles.roles.value.find((each) => each.id === previewRoleId.value);
      const base = everyone.value;
      if (!role || !base) return null;
      const overridesOf = (id: string) =>
        id === channelId ? draft.value : (allChannels.value.find((each) => each.channelId === id)?.overrides ?? []);
      return community.channels.value.map((channel) => ({
        channel,
        permissions: rolePermissionsIn(role, base, channel, overridesOf(channel.id)),
      }));
    });

    function update(key: string, change: (override: EditedOverride) => EditedOverride) {
      draft.value = draft.peek().map((override) => (override.key === key ? change(override) : override));
    }

    return {
      draft,
      selectedKey,
      selected: computed(() => draft.value.find((override) => override.key === selectedKey.value) ?? null),
      isLoading,
      loadError,
      saving,
      isDirty,
      previewRoleId,
      preview,
      load,
      stateOf(override: EditedOverride, name: PermissionName): OverrideState {
        return override.allow.includes(name) ? "allow" : override.deny.includes(name) ? "deny" : "inherit";
      },
      setState(key: string, name: PermissionName, state: OverrideState) {
        update(key, (override) => ({
          ...override,
          allow:
            state === "allow"
              ? [...override.allow.filter((n) => n !== name), name]
              : override.allow.filter((n) => n !== name),
          deny:
            state === "deny"
              ? [...override.deny.filter((n) => n !== name), name]
              : override.deny.filter((n) => n !== name),
        }));
      },
      /** Adds a role or member to the list (with everything inherited) and opens it. */
      add(target: { roleId: string } | { userId: string }) {
        const override: EditedOverride =
          "roleId" in target
            ? { key: `role:${target.roleId}`, roleId: target.roleId, userId: null, allow: [], deny: [] }
            : { key: `member:${target.userId}`, roleId: null, userId: target.userId, allow: [], deny: [] };
        if (!draft.peek().some((each) => each.key === override.key)) draft.value = [...draft.peek(), override];
        selectedKey.value = override.key;
      },
      /** Takes a role or member off the list; saved, their override is removed. */
      remove(key: string) {
        draft.value = draft.peek().filter((override) => override.key !== key);
        if (selectedKey.peek() === key) selectedKey.value = draft.peek()[0]?.key ?? null;
      },
      reset() {
        draft.value = saved.peek();
        saving.reset();
      },
      async save(): Promise<boolean> {
        const overrides = changes
          .peek()
          .map(({ roleId, userId, allow, deny }) =>
            roleId ? { roleId, allow, deny } : { userId: userId!, allow, deny },
          );
        if (overrides.length === 0) return false;
        const answer = await saving.run(() =>
          session.request<{ overrides: OverrideView[] }>(`/api/channels/${encodeURIComponent(channelId)}/overrides`, {
            method: "PUT",
            body: { overrides },
          }),
        );
        if (!answer) return false;
        saved.value = answer.overrides.map(edited);
        draft.value = saved.peek();
        if (selectedKey.peek() && !draft.peek().some((each) => each.key === selectedKey.peek()))
          selectedKey.value = draft.peek()[0]?.key ?? null;
        void load();
        return true;
      },
    };
  },
);

export type ChannelOverrides = InstanceType<typeof ChannelOverridesModel>;

export const canView = (permissions: number) => (permissions & Permission.VIEW_CHANNEL) !== 0;
