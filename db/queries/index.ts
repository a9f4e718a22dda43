/**
 * Every named query the app may run. Callers outside the Database object name a
 * query and pass its input; the query itself runs next to the connection pool.
 * Each module below exports only queries (types aside), so the registry is their union;
 * `message-records.ts` is the shared row shape behind the message queries, not a module of queries.
 */
import * as abuse from "./abuse.ts";
import * as audit from "./audit.ts";
import * as blocks from "./blocks.ts";
import * as calls from "./calls.ts";
import * as categories from "./categories.ts";
import * as channelOverrides from "./channel-overrides.ts";
import * as channels from "./channels.ts";
import * as communities from "./communities.ts";
import * as communityAudit from "./community-audit.ts";
import * as communityInvites from "./community-invites.ts";
import * as communityModeration from "./community-moderation.ts";
import * as communityRoles from "./community-roles.ts";
import * as directMessages from "./direct-messages.ts";
import * as instance from "./instance.ts";
import * as instanceOverview from "./instance-overview.ts";
import * as invites from "./invites.ts";
import * as keys from "./keys.ts";
import * as maintenance from "./maintenance.ts";
import * as membershipEvents from "./membership-events.ts";
import * as messageChanges from "./message-changes.ts";
import * as mls from "./mls.ts";
import * as pictures from "./pictures.ts";
import * as profiles from "./profiles.ts";
import * as pushSubscriptions from "./push-subscriptions.ts";
import * as messageHistory from "./message-history.ts";
import * as messages from "./messages.ts";
import * as notificationSettings from "./notification-settings.ts";
import * as notifyFacts from "./notify-facts.ts";
import * as readPositions from "./read-positions.ts";
import * as search from "./search.ts";
import * as sessions from "./sessions.ts";
import * as twoFactor from "./two-factor.ts";
import * as uploads from "./uploads.ts";
import * as users from "./users.ts";

export const queries = {
  ...abuse,
  ...audit,
  ...blocks,
  ...calls,
  ...categories,
  ...channelOverrides,
  ...channels,
  ...communities,
  ...communityAudit,
  ...communityInvites,
  ...communityModeration,
  ...communityRoles,
  ...directMessages,
  ...instance,
  ...instanceOverview,
  ...invites,
  ...keys,
  ...maintenance,
  ...membershipEvents,
  ...messageChanges,
  ...mls,
  ...pictures,
  ...profiles,
  ...pushSubscriptions,
  ...messageHistory,
  ...messages,
  ...notificationSettings,
  ...notifyFacts,
  ...readPositions,
  ...search,
  ...sessions,
  ...twoFactor,
  ...uploads,
  ...users,
};

export type Queries = typeof queries;
export type QueryName = keyof Queries;
export type QueryInput<K extends QueryName> = Parameters<Queries[K]>[1];
export type QueryOutput<K extends QueryName> = Awaited<ReturnType<Queries[K]>>;

export type { LockoutPolicy } from "./abuse.ts";
export type { AuditRecord } from "./audit.ts";
export type { ActiveCallRecord } from "./calls.ts";
export type { CategoryRecord } from "./categories.ts";
export type { ChannelContextRecord, ChannelRecord, DirectParticipant, OverrideRecord } from "./channels.ts";
export type { MembershipEventRecord } from "./membership-events.ts";
export type { CommunityRecord, MemberContextRecord, RoleRecord } from "./communities.ts";
export type { InviteRecord } from "./invites.ts";
export type { AccountKeyRecord, DeviceRecord, KeyBackupRecord } from "./keys.ts";
export type { MlsCommitRecord, MlsGroupRecord, MlsWelcomeRecord } from "./mls.ts";
export type { PictureOwner, PictureRecord, StoredPicture } from "./pictures.ts";
export type { ChangeResult } from "./message-changes.ts";
export type { AppendOutcome, AppendResult, MessageRecord, NewMessage, ReactionRecord } from "./messages.ts";
export type { SessionRecord, RotateResult } from "./sessions.ts";
export type { CancelUploadResult, CreateUploadResult, UploadRecord } from "./uploads.ts";
export type { UserRecord } from "./users.ts";
