/** Community settings > roles. (Stub: issue #24 fills it.) */
import type { CommunitySettingsProps } from "./community-settings-page.tsx";

export function RolesSection(_props: CommunitySettingsProps) {
  return null;
}
