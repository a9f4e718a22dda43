/** Community settings > audit-log. (Stub: issue #24 fills it.) */
import type { CommunitySettingsProps } from "./community-settings-page.tsx";

export function AuditLogSection(_props: CommunitySettingsProps) {
  return null;
}
