/**
 * Lighthouse's scores for a page, run against the Chromium the bench started
 * (CHROME_PATH is Debian's). Lighthouse 12 dropped its PWA category; installability
 * is checked by the bench itself (Chromium's Page.getInstallabilityErrors).
 */
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";

export const CATEGORIES = ["performance", "accessibility", "best-practices"] as const;

export interface Scores {
  performance: number;
  accessibility: number;
  "best-practices": number;
  /** Audits that cost points, for the report: id and score. */
  failing: string[];
  /** What the page printed as errors, as Lighthouse's best-practices audit saw it. */
  consoleErrors: string[];
  /** Why Lighthouse could not score a category (no largest paint, say), if it could not. */
  problems: string[];
  version: string;
}

/**
 * `formFactor`: "mobile" is Lighthouse's default (a mid-range phone on a slow 4G, simulated);
 * "desktop" its desktop preset. `keepStorage` keeps the profile's cookies, storage and
 * service worker (a signed-in page), where Lighthouse would otherwise clear them first.
 */
export async function lighthouseScores(
  url: string,
  port: number,
  formFactor: "mobile" | "desktop",
  keepStorage: boolean,
): Promise<Scores> {
  const result = await lighthouse(
    url,
    { port, output: "json", logLevel: "error", onlyCategories: [...CATEGORIES], disableStorageReset: keepStorage },
    formFactor === "desktop" ? desktopConfig : undefined,
  );
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { categories, audits } = result.lhr;
  const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
  const failing = Object.values(audits)
    .filter((audit) => audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== "informative")
    .filter((audit) => audit.scoreDisplayMode === "binary" || audit.scoreDisplayMode === "numeric")
    .map((audit) => `${audit.id} ${Math.round((audit.score ?? 0) * 100)}`);
  return {
    performance: score("performance"),
    accessibility: score("accessibility"),
    "best-practices": score("best-practices"),
    failing,
    consoleErrors: (
      (audits["errors-in-console"]?.details as { items?: { description?: string }[] } | undefined)?.items ?? []
    ).map((item) => item.description ?? ""),
    problems: [
      result.lhr.runtimeError?.message,
      ...Object.values(audits)
        .filter((audit) => audit.scoreDisplayMode === "error")
        .map((audit) => `${audit.id}: ${audit.errorMessage}`),
    ].filter((problem): problem is string => Boolean(problem)),
    version: result.lhr.lighthouseVersion,
  };
}
