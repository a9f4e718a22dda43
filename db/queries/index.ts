/**
 * Every named query the app may run. Callers outside the Database object name a
 * query and pass its input; the query itself runs next to the connection pool.
 */
import { countAttempt, hitRateLimit, lockedUntil, releaseAttempt } from "./abuse.ts";
import { auditForUser, recordAudit } from "./audit.ts";
import {
  createCommunity,
  communitiesForUser,
  memberContext,
  membersOf,
  updateCommunity,
  deleteCommunity,
  transferOwnership,
  removeMember,
  banMember,
  unbanMember,
  bansOf,
  setMemberTimeout,
  createCommunityInvite,
  communityInvitesOf,
  revokeCommunityInvite,
  acceptCommunityInvite,
  rolesOf,
  createRole,
  updateRole,
  deleteRole,
  assignRole,
  unassignRole,
  recordCommunityAudit,
  communityAudit,
  ownedCommunityCount,
} from "./communities.ts";
import { allChannels, channelById, createChannel } from "./channels.ts";
import { allInvites, createInvite, revokeInvite } from "./invites.ts";
import {
  instanceSettingsMap,
  setInstanceSetting,
  searchUsers,
  setAdmin,
  instanceStatistics,
  createAnnouncement,
  activeAnnouncements,
  deleteAnnouncement,
  instanceAudit,
} from "./instance.ts";
import { pruneExpired } from "./maintenance.ts";
import { blockedBy, blockUser, isBlockedEitherWay, unblockUser } from "./blocks.ts";
import { appendMessage, messagesBefore } from "./messages.ts";
import {
  activeSession,
  createSession,
  revokeSession,
  revokeSessions,
  rotateRefreshToken,
  sessionsForUser,
} from "./sessions.ts";
import {
  acceptTotpStep,
  disableTotp,
  enableTotp,
  replaceBackupCodes,
  replaceTotpSecret,
  setPendingTotpSecret,
  totpSecretsUnderKey,
  unusedBackupCodeCount,
  useBackupCode,
} from "./two-factor.ts";
import {
  adminCount,
  createUser,
  deleteUser,
  registrationModeSetting,
  setPasswordHash,
  setRecoveryCodeHash,
  setRegistrationMode,
  setSuspension,
  updateProfile,
  userById,
  userByUsername,
} from "./users.ts";

export const queries = {
  adminCount,
  createUser,
  userByUsername,
  userById,
  registrationModeSetting,
  setRegistrationMode,
  updateProfile,
  setPasswordHash,
  setRecoveryCodeHash,
  deleteUser,
  setSuspension,
  createSession,
  rotateRefreshToken,
  activeSession,
  sessionsForUser,
  revokeSession,
  revokeSessions,
  setPendingTotpSecret,
  acceptTotpStep,
  enableTotp,
  disableTotp,
  replaceBackupCodes,
  useBackupCode,
  unusedBackupCodeCount,
  totpSecretsUnderKey,
  replaceTotpSecret,
  createInvite,
  allInvites,
  revokeInvite,
  recordAudit,
  auditForUser,
  lockedUntil,
  countAttempt,
  releaseAttempt,
  hitRateLimit,
  pruneExpired,
  blockUser,
  unblockUser,
  blockedBy,
  isBlockedEitherWay,
  instanceSettingsMap,
  setInstanceSetting,
  searchUsers,
  setAdmin,
  instanceStatistics,
  createAnnouncement,
  activeAnnouncements,
  deleteAnnouncement,
  instanceAudit,
  createCommunity,
  communitiesForUser,
  memberContext,
  membersOf,
  updateCommunity,
  deleteCommunity,
  transferOwnership,
  removeMember,
  banMember,
  unbanMember,
  bansOf,
  setMemberTimeout,
  createCommunityInvite,
  communityInvitesOf,
  revokeCommunityInvite,
  acceptCommunityInvite,
  rolesOf,
  createRole,
  updateRole,
  deleteRole,
  assignRole,
  unassignRole,
  recordCommunityAudit,
  communityAudit,
  ownedCommunityCount,
  createChannel,
  allChannels,
  channelById,
  appendMessage,
  messagesBefore,
};

export type Queries = typeof queries;
export type QueryName = keyof Queries;
export type QueryInput<K extends QueryName> = Parameters<Queries[K]>[1];
export type QueryOutput<K extends QueryName> = Awaited<ReturnType<Queries[K]>>;

export type { LockoutPolicy } from "./abuse.ts";
export type { AuditRecord } from "./audit.ts";
export type { ChannelRecord } from "./channels.ts";
export type { CommunityRecord, MemberContextRecord, RoleRecord } from "./communities.ts";
export type { InviteRecord } from "./invites.ts";
export type { MessageRecord } from "./messages.ts";
export type { SessionRecord, RotateResult } from "./sessions.ts";
export type { UserRecord } from "./users.ts";
