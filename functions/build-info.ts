/**
 * What this build of the server is: package.json's version, and the git commit it was
 * built from when the build knew it. scripts/build-worker.ts bakes the commit into the
 * bundle (wrangler's --define), from CHATALOT_COMMIT or the checkout's own git; the
 * Docker build has no .git, so scripts/update.sh passes it as a build argument.
 */
import packageJson from "../package.json" with { type: "json" };

/** Replaced by the build with a string literal; undeclared (so `typeof` is "undefined") under wrangler dev and tests. */
declare const CHATALOT_COMMIT: string | undefined;

const GIT_COMMIT = /^[0-9a-f]{7,40}$/;

export interface BuildInfo {
  version: string;
  /** Abbreviated git commit, or null when the build did not know it. */
  commit: string | null;
}

export const buildInfo: BuildInfo = {
  version: packageJson.version,
  commit: typeof CHATALOT_COMMIT === "string" && GIT_COMMIT.test(CHATALOT_COMMIT) ? CHATALOT_COMMIT : null,
};
