/** Community settings > bans. (Stub: issue #24 fills it.) */
import type { CommunitySettingsProps } from "./community-settings-page.tsx";

export function BansSection(_props: CommunitySettingsProps) {
  return null;
}
