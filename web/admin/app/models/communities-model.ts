/**
 * Every community on the instance, with its owner and size, searched and paged by
 * the server; one opened in detail, to give it a new owner or delete it.
 */
import { createModel, signal } from "@preact/signals";
import { createAction } from "../../../src/models/action.ts";
import { queryString, type AdminApi } from "./admin-api.ts";
import type { AdminCommunityView } from "./admin-views.ts";
import { createPagedList } from "./paged-list.ts";
import { userNamed } from "./users-model.ts";

export const COMMUNITIES_PER_PAGE = 20;

export const CommunitiesModel = createModel((api: AdminApi) => {
  const list = createPagedList<AdminCommunityView>(async (search, after) => {
    const page = await api.get<{ communities: AdminCommunityView[]; next: string | null }>(
      `/api/admin/communities${queryString({ search, after, limit: COMMUNITIES_PER_PAGE })}`,
    );
    return { items: page.communities, next: page.next };
  });
  const selected = signal<AdminCommunityView | null>(null);
  const transferring = createAction();
  const deleting = createAction();
  const isConfirmingDelete = signal(false);
  const notice = signal<string | null>(null);
  const path = () => `/api/admin/communities/${encodeURIComponent(selected.peek()?.id ?? "")}`;

  return {
    list,
    selected,
    transferring,
    deleting,
    isConfirmingDelete,
    notice,
    open(community: AdminCommunityView) {
      selected.value = community;
      isConfirmingDelete.value = false;
      notice.value = null;
      transferring.reset();
      deleting.reset();
    },
    close() {
      selected.value = null;
    },
    /** Makes the member named `username` the owner; the server refuses anyone who is not a member. */
    async transfer(username: string): Promise<void> {
      const community = selected.peek();
      if (!community) return;
      if (!username.trim()) {
        transferring.fail("type the username of the member who should own it");
        return;
      }
      const owner = await transferring.run(async () => {
        const user = await userNamed(api, username);
        await api.post(`${path()}/transfer`, { userId: user.id });
        return user;
      });
      if (!owner) return;
      selected.value = { ...community, ownerId: owner.id, ownerName: owner.username };
      notice.value = `transferred ${community.name} to ${owner.username}`;
      await list.reload();
    },
    askDelete() {
      deleting.reset();
      isConfirmingDelete.value = true;
    },
    cancelDelete() {
      isConfirmingDelete.value = false;
    },
    async remove(): Promise<void> {
      const community = selected.peek();
      if (!community) return;
      const isDeleted = await deleting.run(async () => {
        await api.delete(path());
        // Read again while still busy, so the word that it is gone comes with a list without it.
        await list.reload();
        return true;
      });
      if (isDeleted === null) return;
      selected.value = null;
      isConfirmingDelete.value = false;
      notice.value = `deleted ${community.name}, with its channels and messages`;
    },
  };
});

export type Communities = InstanceType<typeof CommunitiesModel>;
