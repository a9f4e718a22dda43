/**
 * Channel settings > Permissions: overrides per role and per member, three states per
 * permission (allow, inherit, deny) as Discord's, and a "view as role" preview.
 * (Stub: issue #24 fills it.)
 */
import type { ChannelSettingsProps } from "../channel-settings/channel-settings-page.tsx";

export function ChannelPermissionsEditor(_props: ChannelSettingsProps) {
  return null;
}
