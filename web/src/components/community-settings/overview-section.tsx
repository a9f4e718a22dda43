/** Community settings > overview. (Stub: issue #24 fills it.) */
import type { CommunitySettingsProps } from "./community-settings-page.tsx";

export function OverviewSection(_props: CommunitySettingsProps) {
  return null;
}
