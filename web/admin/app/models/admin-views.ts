/**
 * The admin API's answers as the admin page reads them (functions/routes/admin.ts
 * and admin-console.ts). Shapes shared with the rest of the app come from protocol/.
 */
import type {
  AdminWarningView,
  DeviceSessionView,
  HealthView,
  InviteView,
  UserView,
} from "../../../../protocol/index.ts";

export type RegistrationMode = "open" | "invite_only" | "closed";
export type CommunityCreationMode = "admin_only" | "open";

export interface InstanceSettingsView {
  instanceName: string;
  registrationMode: RegistrationMode;
  communityCreationMode: CommunityCreationMode;
  uploadMaxBytes: number;
}

export interface OverviewView {
  health: HealthView;
  counts: {
    users: number;
    communities: number;
    channels: number;
    messages: number;
    messageBytes: number;
    databaseBytes: number;
  };
  live: { sockets: number; activeRooms: number };
  registrationMode: RegistrationMode;
  settings: InstanceSettingsView;
  /** Files and pictures everyone stored, and the limits each person's are held to. */
  storage: { usedBytes: number; fileMaxBytes: number; quotaBytes: number };
  admins: { admins: number; withTwoFactor: number };
  warnings: AdminWarningView[];
  /** What runs, and what UPDATE_CHECK_URL's release feed said (functions/update-check.ts). */
  release: { version: string; commit: string | null; update: UpdateCheckView };
}

export type UpdateCheckView =
  | { status: "off" }
  | { status: "current" | "newer"; latestVersion: string; checkedAt: string }
  | { status: "failed"; reason: string; checkedAt: string };

export interface AdminUserView extends UserView {
  createdAt: string;
  suspendedAt: string | null;
  suspensionReason: string | null;
  /** Sealed bytes of their files (not being removed) and their pictures' bytes. */
  storageBytes: number;
}

export interface UserDetailView {
  user: AdminUserView & { lastSeenAt: string | null };
  sessions: DeviceSessionView[];
  communities: { id: string; name: string; isOwner: boolean }[];
}

export interface AdminCommunityView {
  id: string;
  name: string;
  ownerId: string;
  ownerName: string;
  members: number;
  channels: number;
  createdAt: string;
}

/** A new registration invite: its code and link are shown once, only the hash is kept. */
export interface CreatedInviteView {
  invite: InviteView;
  code: string;
  link: string;
}

export interface AnnouncementView {
  id: string;
  body: string;
  createdAt: string;
  expiresAt: string | null;
}
