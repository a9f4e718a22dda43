/**
 * A channel's settings, like Discord's: a menu headed "#name" (Overview, Permissions)
 * beside the open section, at /communities/<id>/channels/<id>/settings/<section>; the ✕
 * button or Esc goes back to the channel. Overview is ours (overview-section.tsx);
 * Permissions is the overrides editor (permissions/). Someone who may not manage the
 * channel is told so in words; a channel they cannot see reads as one that does not exist.
 */
import { useModel } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { AccountEvents } from "../../models/account-events.ts";
import { ChannelAdminModel } from "../../models/channel-admin.ts";
import type { Community } from "../../models/community.ts";
import {
  channelPath,
  channelSettingsPath,
  communityPath,
  CHANNEL_SETTINGS_SECTIONS,
  type ChannelSettingsSection,
  type Router,
} from "../../models/router.ts";
import type { Session } from "../../models/session.ts";
import { ChannelPermissionsEditor } from "../permissions/channel-permissions-editor.tsx";
import { ChannelOverviewSection } from "./overview-section.tsx";
import "../settings/settings.css";
import "./channel-admin.css";

export interface ChannelSettingsProps {
  session: Session;
  router: Router;
  community: Community;
  communityId: string;
  channelId: string;
  events: AccountEvents;
}

const TITLES: Record<ChannelSettingsSection, string> = { overview: "Overview", permissions: "Permissions" };

export function ChannelSettingsPage(props: ChannelSettingsProps & { section: ChannelSettingsSection }) {
  const { router, community, communityId, channelId, section } = props;
  const admin = useModel(() => new ChannelAdminModel(communityId, props.session, community));
  const heading = useRef<HTMLHeadingElement>(null);
  const channel = community.channels.value.find((known) => known.id === channelId) ?? null;
  const close = () => router.navigate(channel ? channelPath(communityId, channelId) : communityPath(communityId));

  useEffect(() => heading.current?.focus({ preventScroll: true }), [section]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      if ((event.target as Element | null)?.closest?.("dialog, [role=dialog], [aria-modal=true]")) return;
      close();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [channel]);

  const title = channel ? `#${channel.name}` : "Channel settings";
  const mayManage = !!channel?.myPermissions.includes("MANAGE_CHANNELS");
  const isLoading = community.isLoading.value;

  return (
    <div class="settings-area">
      <nav class="settings-menu" aria-label="Channel settings">
        <div class="settings-menu-inner">
          <p class="settings-menu-heading">{title}</p>
          <ul>
            {CHANNEL_SETTINGS_SECTIONS.map((name) => (
              <li key={name}>
                <a
                  href={channelSettingsPath(communityId, channelId, name)}
                  class="settings-menu-item"
                  aria-current={name === section ? "page" : undefined}
                  onClick={(event) => {
                    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
                    event.preventDefault();
                    router.replace(channelSettingsPath(communityId, channelId, name));
                  }}
                >
                  {TITLES[name]}
                </a>
              </li>
            ))}
          </ul>
        </div>
      </nav>
      <main class="settings-content" aria-labelledby="channel-settings-heading">
        <div class="settings-column">
          <header class="settings-header">
            <h1 id="channel-settings-heading" ref={heading} tabIndex={-1}>
              {TITLES[section]}
            </h1>
            <button type="button" class="settings-close" onClick={close}>
              <span class="settings-close-icon" aria-hidden="true">
                <svg viewBox="0 0 16 16" width="14" height="14" focusable="false">
                  <path d="M3 3l10 10M13 3L3 13" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
                </svg>
              </span>
              <span class="visually-hidden">Close channel settings</span>
              <span class="settings-close-key">Esc</span>
            </button>
          </header>
          {isLoading && !channel ? (
            <p class="hint">Loading…</p>
          ) : !channel ? (
            <p class="error" role="alert">
              This channel does not exist, or you cannot see it.
            </p>
          ) : !mayManage ? (
            <p class="error" role="alert">
              You may not change the settings of {title}: that needs the Manage Channels permission.
            </p>
          ) : section === "permissions" ? (
            <ChannelPermissionsEditor {...props} />
          ) : (
            <ChannelOverviewSection
              key={channel.id}
              channel={channel}
              community={community}
              admin={admin}
              onDeleted={() => router.replace(communityPath(communityId))}
            />
          )}
        </div>
      </main>
    </div>
  );
}
