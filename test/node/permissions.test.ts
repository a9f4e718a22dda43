/**
 * The permission table: role x override x state x action -> allowed or not, for
 * the one function handlers and rooms both use (protocol/permissions.ts).
 */
import { describe, expect, it } from "vitest";
import {
  canActOn,
  canGrant,
  channelPermissions,
  DEFAULT_EVERYONE_PERMISSIONS,
  has,
  Permission,
  type ChannelContext,
  type MemberContext,
  type Override,
  type PermissionName,
  type Role,
} from "../../protocol/permissions.ts";

const NOW = Date.UTC(2026, 10, 26, 12);
const everyone: Role = { id: "everyone", position: 0, permissions: DEFAULT_EVERYONE_PERMISSIONS };
const moderator: Role = {
  id: "moderator",
  position: 2,
  permissions:
    Permission.MANAGE_MESSAGES | Permission.KICK_MEMBERS | Permission.TIMEOUT_MEMBERS | Permission.MENTION_EVERYONE,
};
const staff: Role = { id: "staff", position: 3, permissions: Permission.MANAGE_CHANNELS };
const helper: Role = { id: "helper", position: 1, permissions: 0 };
const administrator: Role = { id: "administrator", position: 5, permissions: Permission.ADMINISTRATOR };

const member = (roles: Role[] = [], extra: Partial<MemberContext> = {}): MemberContext => ({
  isOwner: false,
  everyone,
  roles,
  timedOutUntil: null,
  ...extra,
});
const owner = member([], { isOwner: true });
const channel = (extra: Partial<ChannelContext> = {}): ChannelContext => ({
  isArchived: false,
  isReadOnly: false,
  roleOverrides: {},
  memberOverride: null,
  ...extra,
});
const deny = (...names: PermissionName[]): Override => ({
  allow: 0,
  deny: names.reduce((all, name) => all | Permission[name], 0),
});
const allow = (...names: PermissionName[]): Override => ({
  allow: names.reduce((all, name) => all | Permission[name], 0),
  deny: 0,
});
const privateChannel = (extra: Partial<ChannelContext> = {}) =>
  channel({ roleOverrides: { everyone: deny("VIEW_CHANNEL") }, ...extra });

const table: [string, MemberContext, ChannelContext, PermissionName, boolean][] = [
  ["a plain member reads a plain channel", member(), channel(), "VIEW_CHANNEL", true],
  ["a plain member writes in a plain channel", member(), channel(), "SEND_MESSAGES", true],
  ["a plain member cannot mention everyone", member(), channel(), "MENTION_EVERYONE", false],
  ["a plain member cannot delete others' messages", member(), channel(), "MANAGE_MESSAGES", false],
  ["a moderator can delete others' messages", member([moderator]), channel(), "MANAGE_MESSAGES", true],
  ["a moderator can mention everyone", member([moderator]), channel(), "MENTION_EVERYONE", true],
  ["a plain member cannot see a private channel", member(), privateChannel(), "VIEW_CHANNEL", false],
  ["nor write in it", member(), privateChannel(), "SEND_MESSAGES", false],
  [
    "a role let into a private channel sees it",
    member([helper]),
    privateChannel({ roleOverrides: { everyone: deny("VIEW_CHANNEL"), helper: allow("VIEW_CHANNEL") } }),
    "VIEW_CHANNEL",
    true,
  ],
  [
    "and writes in it",
    member([helper]),
    privateChannel({ roleOverrides: { everyone: deny("VIEW_CHANNEL"), helper: allow("VIEW_CHANNEL") } }),
    "SEND_MESSAGES",
    true,
  ],
  [
    "a member let in by their own override sees a private channel",
    member(),
    privateChannel({ memberOverride: allow("VIEW_CHANNEL") }),
    "VIEW_CHANNEL",
    true,
  ],
  [
    "a role's channel deny removes what @everyone had",
    member([helper]),
    channel({ roleOverrides: { helper: deny("SEND_MESSAGES") } }),
    "SEND_MESSAGES",
    false,
  ],
  [
    "between two roles, an allow beats a deny",
    member([helper, moderator]),
    channel({ roleOverrides: { helper: deny("SEND_MESSAGES"), moderator: allow("SEND_MESSAGES") } }),
    "SEND_MESSAGES",
    true,
  ],
  [
    "a member's own deny beats their role's allow",
    member([moderator]),
    channel({ roleOverrides: { moderator: allow("SEND_MESSAGES") }, memberOverride: deny("SEND_MESSAGES") }),
    "SEND_MESSAGES",
    false,
  ],
  [
    "a role's allow beats @everyone's deny",
    member([helper]),
    channel({ roleOverrides: { everyone: deny("SEND_MESSAGES"), helper: allow("SEND_MESSAGES") } }),
    "SEND_MESSAGES",
    true,
  ],
  [
    "without view, a role's send is worth nothing",
    member([helper]),
    privateChannel({ roleOverrides: { everyone: deny("VIEW_CHANNEL"), helper: allow("SEND_MESSAGES") } }),
    "SEND_MESSAGES",
    false,
  ],
  ["an administrator sees a private channel", member([administrator]), privateChannel(), "VIEW_CHANNEL", true],
  [
    "an administrator ignores their own member deny",
    member([administrator]),
    channel({ memberOverride: deny("SEND_MESSAGES") }),
    "SEND_MESSAGES",
    true,
  ],
  ["the owner sees a private channel", owner, privateChannel(), "VIEW_CHANNEL", true],
  ["the owner holds every permission", owner, channel(), "BAN_MEMBERS", true],
  ["a timed-out member still reads", member([], { timedOutUntil: NOW + 60_000 }), channel(), "VIEW_CHANNEL", true],
  ["a timed-out member cannot write", member([], { timedOutUntil: NOW + 60_000 }), channel(), "SEND_MESSAGES", false],
  ["a timed-out member cannot react", member([], { timedOutUntil: NOW + 60_000 }), channel(), "ADD_REACTIONS", false],
  ["a timed-out member cannot speak", member([], { timedOutUntil: NOW + 60_000 }), channel(), "SPEAK", false],
  [
    "a timed-out moderator cannot write either",
    member([moderator], { timedOutUntil: NOW + 60_000 }),
    channel(),
    "SEND_MESSAGES",
    false,
  ],
  ["an expired timeout no longer applies", member([], { timedOutUntil: NOW - 1 }), channel(), "SEND_MESSAGES", true],
  ["an archived channel is still readable", member(), channel({ isArchived: true }), "VIEW_CHANNEL", true],
  ["nobody writes in an archived channel", member([staff]), channel({ isArchived: true }), "SEND_MESSAGES", false],
  ["not even the owner", owner, channel({ isArchived: true }), "SEND_MESSAGES", false],
  [
    "a read-only channel refuses a plain member's message",
    member(),
    channel({ isReadOnly: true }),
    "SEND_MESSAGES",
    false,
  ],
  [
    "a read-only channel refuses a plain member's reaction",
    member(),
    channel({ isReadOnly: true }),
    "ADD_REACTIONS",
    false,
  ],
  [
    "a read-only channel takes messages from those who manage it",
    member([staff]),
    channel({ isReadOnly: true }),
    "SEND_MESSAGES",
    true,
  ],
  ["voice: a member connects and speaks by default", member(), channel(), "SPEAK", true],
  [
    "voice: a channel can deny speaking to @everyone",
    member(),
    channel({ roleOverrides: { everyone: deny("SPEAK") } }),
    "SPEAK",
    false,
  ],
];

describe("channel permissions", () => {
  it.each(table)("%s", (_case, who, where, action, expected) => {
    expect(has(channelPermissions(who, where, NOW), Permission[action])).toBe(expected);
  });
});

describe("the role hierarchy", () => {
  it.each([
    ["a moderator acts on a plain member", member([moderator]), member(), true],
    ["a plain member cannot act on a moderator", member(), member([moderator]), false],
    ["equal top roles cannot act on each other", member([moderator]), member([moderator, helper]), false],
    ["staff acts on a moderator", member([staff]), member([moderator]), true],
    ["an administrator acts on staff", member([administrator]), member([staff]), true],
    ["nobody acts on the owner", member([administrator]), owner, false],
    ["the owner acts on an administrator", owner, member([administrator]), true],
  ] as const)("%s", (_case, actor, target, expected) => {
    expect(canActOn(actor, target)).toBe(expected);
  });

  it("lets one grant only permissions one holds", () => {
    const moderatorPermissions = DEFAULT_EVERYONE_PERMISSIONS | moderator.permissions;
    expect(canGrant(moderatorPermissions, Permission.KICK_MEMBERS | Permission.SEND_MESSAGES)).toBe(true);
    expect(canGrant(moderatorPermissions, Permission.BAN_MEMBERS)).toBe(false);
    expect(canGrant(moderatorPermissions, Permission.ADMINISTRATOR)).toBe(false);
  });
});
