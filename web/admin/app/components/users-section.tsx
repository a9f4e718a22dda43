/** Every account, searched by name and paged by the server; a name opens the account's page. */
import { FormError } from "../../../src/components/form-error.tsx";
import { dateTimeInWords } from "../../../src/components/time-words.ts";
import type { Admin } from "../models/admin-model.ts";
import { userPath } from "../models/admin-router.ts";
import type { AdminUserView } from "../models/admin-views.ts";
import { AdminLink } from "./admin-link.tsx";
import { bytesInWords } from "./admin-words.ts";
import { Pager } from "./pager.tsx";
import { SearchForm } from "./search-form.tsx";
import { SectionHeading } from "./section-heading.tsx";
import { StatusMessage } from "./status-message.tsx";

export function UsersSection({ admin }: { admin: Admin }) {
  const { list, notice } = admin.users;
  const users = list.items.value;
  const search = list.search.value;
  return (
    <section class="section" aria-labelledby="users-heading">
      <SectionHeading id="users-heading">Users</SectionHeading>
      <StatusMessage text={notice.value} />
      <SearchForm id="user-search" label="Search by username" value={search} maxLength={32} onSearch={list.searchFor} />
      <FormError id="users-error" error={list.loading.error.value} />
      {list.hasLoaded.value && users.length === 0 && (
        <p>{search ? `No account's name contains “${search}”.` : "There are no accounts yet."}</p>
      )}
      {users.length > 0 && (
        <table class="data" aria-label="Users">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Role</th>
              <th scope="col">Two-factor</th>
              <th scope="col">Status</th>
              <th scope="col">Joined</th>
              <th scope="col">Storage</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <UserRow key={user.id} user={user} admin={admin} />
            ))}
          </tbody>
        </table>
      )}
      <Pager
        label="users"
        pageNumber={list.pageNumber}
        hasPrevious={list.hasPrevious}
        hasNext={list.hasNext}
        isBusy={list.loading.isBusy.value}
        onPrevious={list.previousPage}
        onNext={list.nextPage}
      />
    </section>
  );
}

function UserRow({ user, admin }: { user: AdminUserView; admin: Admin }) {
  return (
    <tr>
      <th scope="row" data-label="Username">
        <AdminLink href={userPath(user.id)} router={admin.router}>
          {user.username}
        </AdminLink>
        {user.displayName && <span class="secondary"> {user.displayName}</span>}
      </th>
      <td data-label="Role" class="nowrap">
        {user.isAdmin ? "Instance admin" : "Member"}
      </td>
      <td data-label="Two-factor" class="nowrap">
        {user.hasTwoFactor ? "On" : "Off"}
      </td>
      <td data-label="Status" class="nowrap">
        {user.suspendedAt ? <span class="badge is-warning">Suspended</span> : "Active"}
      </td>
      <td data-label="Joined">{dateTimeInWords(user.createdAt)}</td>
      <td data-label="Storage" class="nowrap">
        {bytesInWords(user.storageBytes)}
      </td>
    </tr>
  );
}
