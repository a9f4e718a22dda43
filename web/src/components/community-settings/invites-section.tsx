/** Community settings > invites. (Stub: issue #24 fills it.) */
import type { CommunitySettingsProps } from "./community-settings-page.tsx";

export function InvitesSection(_props: CommunitySettingsProps) {
  return null;
}
