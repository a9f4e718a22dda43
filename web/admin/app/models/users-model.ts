/** The people on the instance, searched and paged by the server, in username order. */
import { createModel, signal } from "@preact/signals";
import { queryString, type AdminApi } from "./admin-api.ts";
import type { AdminUserView } from "./admin-views.ts";
import { createPagedList } from "./paged-list.ts";

export const USERS_PER_PAGE = 20;

export const UsersModel = createModel((api: AdminApi) => {
  /** What happened last, such as an account deleted from its detail page. */
  const notice = signal<string | null>(null);
  const list = createPagedList<AdminUserView>(async (search, after) => {
    const page = await api.get<{ users: AdminUserView[]; next: string | null }>(
      `/api/admin/users${queryString({ search, after, limit: USERS_PER_PAGE })}`,
    );
    return { items: page.users, next: page.next };
  });

  return { list, notice };
});

export type Users = InstanceType<typeof UsersModel>;

/** The account with exactly this name (any case), or an error saying there is none. */
export async function userNamed(api: AdminApi, name: string): Promise<AdminUserView> {
  const wanted = name.trim().replace(/^@/, "");
  const { users } = await api.get<{ users: AdminUserView[] }>(
    `/api/admin/users${queryString({ search: wanted, limit: 200 })}`,
  );
  const user = users.find((candidate) => candidate.username.toLowerCase() === wanted.toLowerCase());
  if (!user) throw new Error(`no account is named “${wanted}”: check the spelling`);
  return user;
}
