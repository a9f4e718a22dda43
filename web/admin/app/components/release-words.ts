/** The running release and the update check as an operator reads them: "0.2.0 is available". */
import type { OverviewView } from "../models/admin-views.ts";

type Release = OverviewView["release"];

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export const commitInWords = (release: Release) => release.commit ?? "Not recorded in this build";

/** Off unless the operator set UPDATE_CHECK_URL; otherwise the feed's last answer and when it came. */
export function updateInWords(release: Release): string {
  const update = release.update;
  if (update.status === "off") return "Not checked (UPDATE_CHECK_URL is not set)";
  const checked = `checked ${dayFormat.format(new Date(update.checkedAt))}`;
  if (update.status === "failed") return `Could not check: ${update.reason} (${checked})`;
  if (update.status === "newer") return `${update.latestVersion} is available (${checked})`;
  return `Up to date: ${update.latestVersion} is the newest (${checked})`;
}
