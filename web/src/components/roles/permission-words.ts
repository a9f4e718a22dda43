/** The permissions in people's words, in the order the editors list them (most used first). */
import { PERMISSION_EXPLANATIONS, type PermissionName } from "../../../../protocol/index.ts";

export const PERMISSION_LABELS: Record<PermissionName, string> = {
  VIEW_CHANNEL: "View channels",
  SEND_MESSAGES: "Send messages",
  ATTACH_FILES: "Attach files",
  ADD_REACTIONS: "Add reactions",
  MENTION_EVERYONE: "Mention @everyone, @here and all roles",
  MANAGE_MESSAGES: "Manage messages",
  MANAGE_CHANNELS: "Manage channels",
  MANAGE_ROLES: "Manage roles",
  MANAGE_COMMUNITY: "Manage community",
  CREATE_INVITES: "Create invites",
  KICK_MEMBERS: "Kick members",
  BAN_MEMBERS: "Ban members",
  TIMEOUT_MEMBERS: "Time out members",
  CONNECT: "Connect to voice",
  SPEAK: "Speak",
  VIDEO: "Video and screen sharing",
  ADMINISTRATOR: "Administrator",
};

/** Grouped as Discord's role editor groups them. */
export const PERMISSION_GROUPS: { title: string; names: PermissionName[] }[] = [
  {
    title: "General",
    names: ["VIEW_CHANNEL", "MANAGE_CHANNELS", "MANAGE_ROLES", "MANAGE_COMMUNITY", "CREATE_INVITES"],
  },
  { title: "Members", names: ["KICK_MEMBERS", "BAN_MEMBERS", "TIMEOUT_MEMBERS"] },
  {
    title: "Text",
    names: ["SEND_MESSAGES", "ATTACH_FILES", "ADD_REACTIONS", "MENTION_EVERYONE", "MANAGE_MESSAGES"],
  },
  { title: "Voice", names: ["CONNECT", "SPEAK", "VIDEO"] },
  { title: "Advanced", names: ["ADMINISTRATOR"] },
];

/** Permissions that mean something per channel (the overrides editor leaves the community-wide ones out). */
export const CHANNEL_PERMISSIONS: PermissionName[] = [
  "VIEW_CHANNEL",
  "MANAGE_CHANNELS",
  "MANAGE_ROLES",
  "SEND_MESSAGES",
  "ATTACH_FILES",
  "ADD_REACTIONS",
  "MENTION_EVERYONE",
  "MANAGE_MESSAGES",
  "CONNECT",
  "SPEAK",
  "VIDEO",
];

export const explanationOf = (name: PermissionName) => PERMISSION_EXPLANATIONS[name];

/** Discord-like swatches for role colours, named for those who cannot see them. */
export const ROLE_SWATCHES: { name: string; color: number }[] = [
  { name: "Teal", color: 0x1abc9c },
  { name: "Green", color: 0x2ecc71 },
  { name: "Blue", color: 0x3498db },
  { name: "Purple", color: 0x9b59b6 },
  { name: "Pink", color: 0xe91e63 },
  { name: "Yellow", color: 0xf1c40f },
  { name: "Orange", color: 0xe67e22 },
  { name: "Red", color: 0xe74c3c },
  { name: "Grey", color: 0x95a5a6 },
  { name: "Dark teal", color: 0x11806a },
  { name: "Dark green", color: 0x1f8b4c },
  { name: "Dark blue", color: 0x206694 },
  { name: "Dark purple", color: 0x71368a },
  { name: "Dark pink", color: 0xad1457 },
  { name: "Dark orange", color: 0xa84300 },
  { name: "Dark red", color: 0x992d22 },
];
