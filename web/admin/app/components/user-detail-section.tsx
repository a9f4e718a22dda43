/** One account in detail: who they are, where they are signed in, their communities, and what an admin may do. */
import { FormError } from "../../../src/components/form-error.tsx";
import { deviceInWords } from "../../../src/components/device-words.ts";
import { dateTimeInWords, timeAgoInWords } from "../../../src/components/time-words.ts";
import type { Admin } from "../models/admin-model.ts";
import type { UserDetailView } from "../models/admin-views.ts";
import { AdminLink } from "./admin-link.tsx";
import { bytesInWords } from "./admin-words.ts";
import { Fact } from "./fact.tsx";
import { SectionHeading } from "./section-heading.tsx";
import { UserActions } from "./user-actions.tsx";

export function UserDetailSection({ admin }: { admin: Admin }) {
  const { detail, loading } = admin.userDetail;
  const data = detail.value;
  return (
    <section class="section" aria-labelledby="user-heading">
      <AdminLink href="/admin/users" router={admin.router} class="back-link">
        All users
      </AdminLink>
      <SectionHeading id="user-heading">{data ? data.user.username : "Account"}</SectionHeading>
      <FormError id="user-error" error={loading.error.value} />
      {!data && !loading.error.value && <p role="status">Reading the account…</p>}
      {data && (
        <>
          <Facts data={data} />
          <UserActions detail={admin.userDetail} data={data} />
          <Sessions data={data} />
          <section aria-labelledby="user-communities-heading">
            <h2 id="user-communities-heading">Communities</h2>
            {data.communities.length === 0 ? (
              <p>Not a member of any community.</p>
            ) : (
              <ul aria-labelledby="user-communities-heading">
                {data.communities.map((community) => (
                  <li key={community.id}>
                    {community.name}
                    {community.isOwner && <span class="badge">Owner</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </section>
  );
}

function Facts({ data }: { data: UserDetailView }) {
  const { user } = data;
  return (
    <dl class="facts">
      {user.displayName && <Fact label="Display name" value={user.displayName} />}
      <Fact label="Role" value={user.isAdmin ? "Instance admin" : "Member"} />
      <Fact
        label="Status"
        value={
          user.suspendedAt
            ? `Suspended ${dateTimeInWords(user.suspendedAt)}${user.suspensionReason ? `: ${user.suspensionReason}` : ""}`
            : "Active"
        }
      />
      <Fact label="Two-factor" value={user.hasTwoFactor ? "On" : "Off"} />
      <Fact label="Joined" value={dateTimeInWords(user.createdAt)} />
      <Fact label="Files and pictures" value={bytesInWords(user.storageBytes)} />
      <Fact label="Last seen" value={user.lastSeenAt ? timeAgoInWords(user.lastSeenAt) : "Not in the last 30 days"} />
    </dl>
  );
}

function Sessions({ data }: { data: UserDetailView }) {
  return (
    <section aria-labelledby="user-sessions-heading">
      <h2 id="user-sessions-heading">Signed in on</h2>
      {data.user.suspendedAt && data.sessions.length > 0 && (
        <p class="secondary">While the account is suspended, none of these sessions can be used.</p>
      )}
      {data.sessions.length === 0 ? (
        <p>No device: this account is signed out everywhere.</p>
      ) : (
        <ul class="plain-list" aria-labelledby="user-sessions-heading">
          {data.sessions.map((session) => (
            <li key={session.id}>
              <strong>{deviceInWords(session)}</strong>
              <span class="secondary">
                {" "}
                last active {timeAgoInWords(session.lastSeenAt)}
                {session.ip ? ` from ${session.ip}` : ""}, signed in {dateTimeInWords(session.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
