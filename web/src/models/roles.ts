/**
 * A community's roles as its member sees them, loaded with the community and kept live
 * (the account socket's `changed` `roles`): their order, colours and grouping, each
 * member's highest coloured role (given to role-colours.ts for names everywhere), and
 * what the viewer may change, computed with protocol/permissions.ts as the server
 * decides. The server decides again; its refusals come back in words.
 */
import { computed, createModel, effect, signal, type ReadonlySignal } from "@preact/signals";
import {
  canGrant,
  Permission,
  type CommunityView,
  type MemberView,
  type PermissionName,
  type RoleView,
} from "../../../protocol/index.ts";
import type { AccountEvents } from "./account-events.ts";
import { createAction } from "./action.ts";
import { latestOnly } from "./latest-only.ts";
import { nameBackgrounds, readableOn } from "./readable-colour.ts";
import { roleColours } from "./role-colours.ts";
import type { Session } from "./session.ts";

/** 0xRRGGBB as CSS `#rrggbb`. */
export const colourCss = (color: number) => `#${color.toString(16).padStart(6, "0")}`;
/** CSS `#rrggbb` as 0xRRGGBB. */
export const colourNumber = (css: string) => Number.parseInt(css.replace(/^#/, ""), 16);

/** The flags of permission names from the server. */
export const flagsOfNames = (names: readonly string[]) =>
  names.reduce((all, name) => all | (Permission[name as PermissionName] ?? 0), 0);

/** The member's roles, most senior first (@everyone left out). */
export function rolesOfMember(roles: readonly RoleView[], member: Pick<MemberView, "roleIds">): RoleView[] {
  return roles.filter((role) => !role.isEveryone && member.roleIds.includes(role.id));
}

/**
 * Every member's highest coloured role's colour, as Discord colours names, made readable
 * on the theme's `backgrounds` (readable-colour.ts).
 */
export function nameColours(
  roles: readonly RoleView[],
  members: readonly MemberView[],
  backgrounds: readonly number[],
): Map<string, string> {
  const colours = new Map<string, string>();
  for (const member of members) {
    const coloured = rolesOfMember(roles, member).find((role) => role.color !== null);
    if (coloured) colours.set(member.userId, colourCss(readableOn(coloured.color!, backgrounds)));
  }
  return colours;
}

/** The member's highest hoisted role: the member list's group they are shown in. */
export const hoistedRoleOf = (roles: readonly RoleView[], member: Pick<MemberView, "roleIds">) =>
  rolesOfMember(roles, member).find((role) => role.hoist) ?? null;

export const RolesModel = createModel(
  (
    communityId: string,
    session: Session,
    events: AccountEvents,
    community: ReadonlySignal<CommunityView | null>,
    members: ReadonlySignal<MemberView[]>,
    myPermissions: ReadonlySignal<string[]>,
    /** Reads the members again: who holds which role changed. */
    reloadMembers: () => Promise<void>,
  ) => {
    const ownUserId = session.user.peek()?.id ?? "";
    const path = `/api/communities/${encodeURIComponent(communityId)}`;
    /** Most senior first, @everyone last, as the server lists them. */
    const roles = signal<RoleView[]>([]);
    const loadError = signal<string | null>(null);
    /** Creating, editing, reordering and deleting roles; giving and taking them. */
    const changing = createAction();
    const nextLoad = latestOnly();

    async function load(): Promise<void> {
      const isLatest = nextLoad();
      try {
        const answer = await session.request<{ roles: RoleView[] }>(`${path}/roles`);
        if (!isLatest()) return;
        roles.value = answer.roles;
        loadError.value = null;
      } catch (caught) {
        if (isLatest()) loadError.value = caught instanceof Error ? caught.message : String(caught);
      }
    }
    void load();
    effect(() =>
      events.listen((news) => {
        if (news.type === "reconnected") void load();
        else if (news.type === "changed" && news.communityId === communityId && news.scope === "roles") void load();
      }),
    );
    // The theme (data-theme, or the system's when it follows it) decides which shade reads.
    const themeChanges = signal(0);
    effect(() => {
      const bump = () => themeChanges.value++;
      const scheme = matchMedia("(prefers-color-scheme: dark)");
      const observer = new MutationObserver(bump);
      observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
      scheme.addEventListener("change", bump);
      return () => {
        observer.disconnect();
        scheme.removeEventListener("change", bump);
      };
    });
    // Names everywhere take the colour of their highest coloured role here.
    effect(() => {
      void themeChanges.value;
      const colours = nameColours(roles.value, members.value, nameBackgrounds());
      roleColours.set(colours);
      return () => {
        if (roleColours.colours.peek() === colours) roleColours.set(new Map());
      };
    });

    const isOwner = computed(() => community.value?.ownerId === ownUserId);
    const myFlags = computed(() => flagsOfNames(myPermissions.value));
    /** The viewer's most senior position (Infinity for the owner), as protocol/permissions.ts's topPosition. */
    const myTopPosition = computed(() => {
      if (isOwner.value) return Number.POSITIVE_INFINITY;
      const me = members.value.find((member) => member.userId === ownUserId);
      return me ? rolesOfMember(roles.value, me).reduce((top, role) => Math.max(top, role.position), 0) : 0;
    });
    const canManageRoles = computed(() => (myFlags.value & Permission.MANAGE_ROLES) !== 0);

    /** Refreshes from the server's answer, or reads the list again. */
    async function change(work: () => Promise<unknown>): Promise<boolean> {
      const done = await changing.run(async () => {
        await work();
        return true;
      });
      await load();
      return done === true;
    }

    /** Every role but @everyone in a new order, most senior first, in one request the server may refuse. */
    async function reorder(roleIds: string[]): Promise<boolean> {
      const answer = await changing.run(() =>
        session.request<{ roles: RoleView[] }>(`${path}/roles/order`, { method: "PUT", body: { roleIds } }),
      );
      if (answer) roles.value = answer.roles;
      else await load();
      return answer !== null;
    }

    return {
      roles,
      loadError,
      changing,
      myTopPosition,
      canManageRoles,
      myFlags,
      load,
      /** Whether the viewer may edit or delete this role (and give it out): it is below their highest. */
      canEdit(role: RoleView): boolean {
        return canManageRoles.value && role.position < myTopPosition.value;
      },
      /** Whether the viewer may turn this permission on (one may always turn off). */
      canGrant(name: PermissionName): boolean {
        return canGrant(myFlags.value, Permission[name]);
      },
      /** Whether the viewer may give this role to someone: below their highest, and its permissions held. */
      canAssign(role: RoleView): boolean {
        return (
          !role.isEveryone &&
          canManageRoles.value &&
          role.position < myTopPosition.value &&
          canGrant(myFlags.value, flagsOfNames(role.permissions))
        );
      },
      /** A "new role" at the bottom, with nothing allowed; its id, or null with `changing.error` saying why. */
      async create(name = "new role"): Promise<string | null> {
        const answer = await changing.run(() =>
          session.request<{ role: RoleView }>(`${path}/roles`, { method: "POST", body: { name, permissions: [] } }),
        );
        await load();
        return answer?.role.id ?? null;
      },
      update(
        roleId: string,
        changes: { name?: string; color?: number | null; hoist?: boolean; permissions?: string[] },
      ): Promise<boolean> {
        return change(() => session.request(`${path}/roles/${roleId}`, { method: "PATCH", body: changes }));
      },
      async remove(roleId: string): Promise<boolean> {
        const done = await change(() => session.request(`${path}/roles/${roleId}`, { method: "DELETE" }));
        await reloadMembers();
        return done;
      },
      /** Moves a role one place up (-1) or down (+1) among the others, in one request. */
      move(roleId: string, step: -1 | 1): Promise<boolean> {
        const order = roles.peek().filter((role) => !role.isEveryone);
        const at = order.findIndex((role) => role.id === roleId);
        const to = at + step;
        if (at < 0 || to < 0 || to >= order.length) return Promise.resolve(false);
        const ids = order.map((role) => role.id);
        [ids[at], ids[to]] = [ids[to]!, ids[at]!];
        return reorder(ids);
      },
      reorder,
      async assign(userId: string, roleId: string): Promise<boolean> {
        const done = await change(() =>
          session.request(`${path}/members/${userId}/roles/${roleId}`, { method: "PUT" }),
        );
        await reloadMembers();
        return done;
      },
      async unassign(userId: string, roleId: string): Promise<boolean> {
        const done = await change(() =>
          session.request(`${path}/members/${userId}/roles/${roleId}`, { method: "DELETE" }),
        );
        await reloadMembers();
        return done;
      },
    };
  },
);

export type Roles = InstanceType<typeof RolesModel>;
