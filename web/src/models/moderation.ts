/**
 * Moderating one member of a community from their menu: which actions the viewer may
 * take on them (computed with protocol/permissions.ts, as the server decides), the
 * form that is open (time out, kick, ban) and sending it. The server decides again;
 * a refusal comes back in its words in `acting.error`.
 */
import { computed, createModel, signal } from "@preact/signals";
import { canActOn, type RoleView } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import { describeError } from "./api-client.ts";
import type { Community } from "./community.ts";
import { latestOnly } from "./latest-only.ts";
import { profileCard } from "./profile-card.ts";
import type { Session } from "./session.ts";

const MODERATION_PERMISSIONS = ["TIMEOUT_MEMBERS", "KICK_MEMBERS", "BAN_MEMBERS"];

/** What the viewer may do to one member. */
export interface MemberActions {
  canTimeOut: boolean;
  canKick: boolean;
  canBan: boolean;
  /** Whether they are timed out right now (the menu offers to remove it instead). */
  isTimedOut: boolean;
  /** Why nothing is offered, when nothing is: oneself, the owner, a role not below one's own, no permission. */
  limit: "self" | "owner" | "hierarchy" | "permission" | null;
}

export const NO_ACTIONS: MemberActions = {
  canTimeOut: false,
  canKick: false,
  canBan: false,
  isTimedOut: false,
  limit: null,
};

/**
 * The actions the viewer may take on the target: they hold the permission, the target
 * is not themself nor the owner, and the target's highest role is strictly below theirs.
 */
export function memberActionsFor(input: {
  viewerId: string;
  targetId: string;
  ownerId: string | null;
  /** The viewer's permission names in the community (the server's `myPermissions`). */
  viewerPermissions: readonly string[];
  viewerRoleIds: readonly string[];
  targetRoleIds: readonly string[];
  /** Until when the target is timed out, if they are. */
  targetTimedOutUntil: string | null;
  roles: readonly RoleView[];
  now?: number;
}): MemberActions {
  if (input.ownerId === null) return NO_ACTIONS;
  if (input.viewerId === input.targetId) return { ...NO_ACTIONS, limit: "self" };
  // The hierarchy needs positions only; permissions come from the server's `myPermissions`.
  const held = (roleIds: readonly string[]) =>
    input.roles
      .filter((role) => roleIds.includes(role.id))
      .map((role) => ({ id: role.id, position: role.position, permissions: 0 }));
  const isAbove = canActOn(
    { isOwner: input.viewerId === input.ownerId, roles: held(input.viewerRoleIds) },
    { isOwner: input.targetId === input.ownerId, roles: held(input.targetRoleIds) },
  );
  const may = (permission: string) => isAbove && input.viewerPermissions.includes(permission);
  const actions = {
    canTimeOut: may("TIMEOUT_MEMBERS"),
    canKick: may("KICK_MEMBERS"),
    canBan: may("BAN_MEMBERS"),
    isTimedOut: input.targetTimedOutUntil !== null && Date.parse(input.targetTimedOutUntil) > (input.now ?? Date.now()),
  };
  const isModerator = MODERATION_PERMISSIONS.some((permission) => input.viewerPermissions.includes(permission));
  const limit =
    actions.canTimeOut || actions.canKick || actions.canBan
      ? null
      : !isModerator
        ? "permission"
        : input.targetId === input.ownerId
          ? "owner"
          : "hierarchy";
  return { ...actions, limit };
}

/** The form the menu opened: each asks for a reason, and a time-out for how long. */
export type ModerationForm = "timeout" | "kick" | "ban";

export const MemberModerationModel = createModel((session: Session, community: Community, userId: string) => {
  const roles = signal<RoleView[] | null>(null);
  const rolesError = signal<string | null>(null);
  const nextRoles = latestOnly();
  const form = signal<ModerationForm | null>(null);
  const acting = createAction();
  const communityId = () => community.community.peek()?.id ?? "";
  const memberPath = () =>
    `/api/communities/${encodeURIComponent(communityId())}/members/${encodeURIComponent(userId)}`;

  /** After a change, the community's lists read again (the server also tells every member). */
  const done = (isGone = false) => {
    form.value = null;
    // Kicked or banned: their card has nothing left to show about them here.
    if (isGone && profileCard.target.peek()?.userId === userId) profileCard.close();
    void community.load();
    return true;
  };

  return {
    form,
    acting,
    roles,
    actions: computed((): MemberActions => {
      const view = community.community.value;
      const members = community.members.value;
      const viewerId = session.user.value?.id ?? "";
      const target = members.find((member) => member.userId === userId);
      if (!view || !target || roles.value === null) return NO_ACTIONS;
      return memberActionsFor({
        viewerId,
        targetId: userId,
        ownerId: view.ownerId,
        viewerPermissions: community.myPermissions.value,
        viewerRoleIds: members.find((member) => member.userId === viewerId)?.roleIds ?? [],
        targetRoleIds: target.roleIds,
        targetTimedOutUntil: target.timedOutUntil,
        roles: roles.value,
      });
    }),
    /** The roles' positions decide the hierarchy: read when the menu opens, so they are current. */
    async loadRoles(): Promise<void> {
      const isLatest = nextRoles();
      rolesError.value = null;
      try {
        const answer = await session.request<{ roles: RoleView[] }>(
          `/api/communities/${encodeURIComponent(communityId())}/roles`,
        );
        if (isLatest()) roles.value = answer.roles;
      } catch (caught) {
        if (!isLatest()) return;
        // Without current roles the menu cannot tell what the viewer may do: it offers nothing
        // from an older read, says why, and offers to ask again.
        roles.value = null;
        rolesError.value = describeError(caught);
      }
    },
    rolesError,
    open(next: ModerationForm) {
      acting.reset();
      form.value = next;
    },
    cancel() {
      form.value = null;
      acting.reset();
    },
    async timeOut(minutes: number, reason: string): Promise<boolean> {
      const body = { minutes, ...(reason.trim() ? { reason: reason.trim() } : {}) };
      const answer = await acting.run(() => session.request(`${memberPath()}/timeout`, { method: "POST", body }));
      return answer !== null && done();
    },
    async removeTimeout(): Promise<boolean> {
      const answer = await acting.run(() =>
        session.request(`${memberPath()}/timeout`, { method: "DELETE" }).then(() => true),
      );
      return answer !== null && done();
    },
    async kick(reason: string): Promise<boolean> {
      const body = reason.trim() ? { reason: reason.trim() } : {};
      const answer = await acting.run(() =>
        session.request(`${memberPath()}/kick`, { method: "POST", body }).then(() => true),
      );
      return answer !== null && done(true);
    },
    async ban(reason: string): Promise<boolean> {
      const body = { userId, ...(reason.trim() ? { reason: reason.trim() } : {}) };
      const answer = await acting.run(() =>
        session
          .request(`/api/communities/${encodeURIComponent(communityId())}/bans`, { method: "POST", body })
          .then(() => true),
      );
      return answer !== null && done(true);
    },
  };
});

export type MemberModeration = InstanceType<typeof MemberModerationModel>;

/** The viewer's own time-out in a community: until when, and why (only they and moderators read the reason). */
export interface OwnTimeout {
  until: string;
  reason: string | null;
}

const ownTimeouts = signal<ReadonlyMap<string, OwnTimeout>>(new Map());
/** Bumped as a time-out ends, so the composer opens again without a reload. */
const clock = signal(Date.now());
/** A timer cannot wait longer than this (2^31 - 1 ms); a later end is looked at again then. */
const TIMER_MAX_MS = 2_147_483_647;
let endTimer: ReturnType<typeof setTimeout> | undefined;

function scheduleEnd(): void {
  clearTimeout(endTimer);
  const now = Date.now();
  const ends = [...ownTimeouts.peek().values()].map((timeout) => Date.parse(timeout.until)).filter((at) => at > now);
  if (ends.length === 0) return;
  endTimer = setTimeout(
    () => {
      clock.value = Date.now();
      scheduleEnd();
    },
    Math.min(Math.min(...ends) - now + 50, TIMER_MAX_MS),
  );
}

/**
 * One's own time-outs, by community: the community model notes its member row for the
 * viewer, and the composer reads it to say until when and why. A store for the page
 * rather than a model, as `profiles` is: whatever draws the composer renders again.
 */
export const ownStanding = {
  note(communityId: string, me: { timedOutUntil: string | null; timeoutReason: string | null } | null): void {
    const next = new Map(ownTimeouts.peek());
    if (me?.timedOutUntil) next.set(communityId, { until: me.timedOutUntil, reason: me.timeoutReason });
    else if (!next.has(communityId)) return;
    else next.delete(communityId);
    ownTimeouts.value = next;
    scheduleEnd();
  },
  /** The time-out in force in that community now, or null. */
  timeoutIn(communityId: string | null): OwnTimeout | null {
    const timeout = communityId ? ownTimeouts.value.get(communityId) : undefined;
    return timeout && Date.parse(timeout.until) > Math.max(clock.value, Date.now()) ? timeout : null;
  },
};
