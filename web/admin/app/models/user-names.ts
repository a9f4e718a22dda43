/**
 * Usernames for the account ids the audit log carries, read once each from the
 * admin API and kept for the page's life. A deleted account answers 404.
 */
import { signal } from "@preact/signals";
import { ApiError } from "../../../src/models/api-client.ts";
import type { AdminApi } from "./admin-api.ts";
import type { UserDetailView } from "./admin-views.ts";

export const DELETED_ACCOUNT = "a deleted account";

export type UserNames = ReturnType<typeof createUserNames>;

export function createUserNames(api: AdminApi) {
  const names = signal<Record<string, string>>({});
  const asking = new Set<string>();
  const learn = (id: string, name: string) => (names.value = { ...names.peek(), [id]: name });

  async function nameOf(id: string): Promise<void> {
    asking.add(id);
    try {
      const { user } = await api.get<UserDetailView>(`/api/admin/users/${encodeURIComponent(id)}`);
      learn(id, user.username);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 404) learn(id, DELETED_ACCOUNT);
      // Anything else: the id stays on show, and the next page asks again.
    } finally {
      asking.delete(id);
    }
  }

  return {
    names,
    learn,
    async resolve(ids: (string | null)[]): Promise<void> {
      const unknown = new Set(ids.filter((id): id is string => !!id && !(id in names.peek()) && !asking.has(id)));
      await Promise.all([...unknown].map(nameOf));
    },
  };
}
