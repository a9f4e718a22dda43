/**
 * Running one community from its settings: which sections the person may use, and the
 * overview's actions (edit its name and description, hand it to another member, delete
 * it, leave it). Each answers true when the server agreed, or false with its action's
 * `error` saying why not in the server's words.
 */
import { computed, createModel, signal } from "@preact/signals";
import { updateCommunitySchema, type CommunityView } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import type { Communities } from "./communities.ts";
import type { Community } from "./community.ts";
import type { CommunitySettingsSection, Router } from "./router.ts";
import type { Session } from "./session.ts";

/** What each section needs (any one of them): the overview is for every member, to read and to leave. */
const SECTION_NEEDS: Record<CommunitySettingsSection, readonly string[] | null> = {
  overview: null,
  roles: ["MANAGE_ROLES"],
  members: ["MANAGE_ROLES"],
  invites: ["CREATE_INVITES", "MANAGE_COMMUNITY"],
  bans: ["BAN_MEMBERS"],
  "audit-log": ["MANAGE_COMMUNITY"],
};

/** Whether someone holding `permissions` may use `section`; the owner and administrators hold them all. */
export function maySeeSection(section: CommunitySettingsSection, permissions: readonly string[]): boolean {
  const needs = SECTION_NEEDS[section];
  if (!needs || permissions.includes("ADMINISTRATOR")) return true;
  return needs.some((permission) => permissions.includes(permission));
}

export const CommunitySettingsModel = createModel(
  (session: Session, router: Router, communities: Communities, community: Community) => {
    const path = () => `/api/communities/${encodeURIComponent(community.community.peek()?.id ?? "")}`;
    const saving = createAction();
    const transferring = createAction();
    const deleting = createAction();
    const isSaved = signal(false);
    const permissions = community.myPermissions;
    const has = (permission: string) =>
      permissions.value.includes(permission) || permissions.value.includes("ADMINISTRATOR");

    /** Somewhere else to be once the community is gone from the person's list. */
    async function goHome(): Promise<void> {
      await communities.load();
      router.replace("/");
    }

    return {
      saving,
      transferring,
      deleting,
      leaving: community.leaving,
      isSaved,
      isOwner: computed(() => {
        const ownerId = community.community.value?.ownerId;
        return !!ownerId && ownerId === session.user.value?.id;
      }),
      canManage: computed(() => has("MANAGE_COMMUNITY")),
      /** Sections in menu order that this person may open. */
      canSee: (section: CommunitySettingsSection) => maySeeSection(section, permissions.value),
      /** Saves the name and description; an unchanged form is not sent. */
      async save(input: { name: string; description: string }): Promise<boolean> {
        const current = community.community.peek();
        if (!current) return false;
        if (!input.name.trim()) return saving.fail("a community needs a name");
        const description = input.description.trim() || null;
        const changes = {
          ...(input.name.trim() !== current.name ? { name: input.name } : {}),
          ...(description !== current.description ? { description } : {}),
        };
        const parsed = updateCommunitySchema.safeParse(changes);
        if (!parsed.success) return saving.fail(parsed.error.issues[0]?.message ?? "check the name and description");
        if (Object.keys(parsed.data).length === 0) return true;
        const answer = await saving.run(() =>
          session.request<{ community: CommunityView }>(path(), { method: "PATCH", body: parsed.data }),
        );
        if (!answer) return false;
        community.community.value = answer.community;
        isSaved.value = true;
        void communities.load();
        return true;
      },
      /** Makes `userId` the owner; the person keeps only their roles' permissions. */
      async transfer(userId: string): Promise<boolean> {
        if (!userId) return transferring.fail("choose the member who will own the community");
        const done = await transferring.run(() =>
          session.request(`${path()}/transfer`, { method: "POST", body: { userId } }).then(() => true),
        );
        if (done === null) return false;
        await community.load();
        return true;
      },
      /** Deletes the community, once its name was typed exactly. */
      async remove(typedName: string): Promise<boolean> {
        const name = community.community.peek()?.name ?? "";
        if (typedName.trim() !== name) return deleting.fail(`type the community's name, ${name}, to delete it`);
        const done = await deleting.run(() => session.request(path(), { method: "DELETE" }).then(() => true));
        if (done === null) return false;
        await goHome();
        return true;
      },
      async leave(): Promise<boolean> {
        if (!(await community.leave())) return false;
        await goHome();
        return true;
      },
    };
  },
);

export type CommunitySettings = InstanceType<typeof CommunitySettingsModel>;
