/** Community settings > members. (Stub: issue #24 fills it.) */
import type { CommunitySettingsProps } from "./community-settings-page.tsx";

export function MembersSection(_props: CommunitySettingsProps) {
  return null;
}
