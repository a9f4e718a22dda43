/**
 * Things to undo when the bench ends, however it ends: normal exit, an error, or
 * Ctrl-C. The server runs in its own process group (so a terminal's Ctrl-C does not
 * reach workerd) and the database outlives us, so both must be stopped explicitly.
 */

type Undo = { label: string; run: () => Promise<void> };

/** How long one undo step may take before we give up on it and move on. */
const STEP_TIMEOUT_MS = 20_000;

const steps: Undo[] = [];
let running: Promise<void> | undefined;
let isExiting = false;

/** Registers an undo step; steps run last-registered first. */
export function onCleanup(label: string, run: () => Promise<void>): void {
  steps.push({ label, run });
}

/**
 * Runs every step registered so far, once, in reverse order; a call while one runs
 * waits for it. Called after each scenario, and at exit.
 */
export function cleanup(): Promise<void> {
  running ??= (async () => {
    while (steps.length > 0) {
      const step = steps.pop()!;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          console.error(`cleanup: "${step.label}" took over ${STEP_TIMEOUT_MS / 1000} s, skipped`);
          resolve();
        }, STEP_TIMEOUT_MS);
      });
      try {
        await Promise.race([step.run(), timeout]);
      } catch (error) {
        console.error(`cleanup: "${step.label}" failed: ${(error as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    }
  })().finally(() => (running = undefined));
  return running;
}

/**
 * Cleans up before any abnormal end: SIGINT/SIGTERM (exit 130/143; a second signal
 * exits at once), a crash, or a closed stdout (`npm run bench | head`), which would
 * otherwise kill us with the server still running and the database left behind.
 */
export function cleanUpOnAbnormalExit(): void {
  const cleanUpAndExit = (code: number) => {
    if (isExiting) process.exit(code);
    isExiting = true;
    void cleanup().finally(() => process.exit(code));
  };
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.on(signal, () => {
      if (!isExiting) console.error(`\n${signal}: stopping the server and dropping the database...`);
      cleanUpAndExit(code);
    });
  }
  process.stdout.on("error", () => cleanUpAndExit(1)); // EPIPE: nobody reads the results any more
  process.on("uncaughtException", (error) => {
    console.error(`bench crashed: ${error.stack ?? error.message}`);
    cleanUpAndExit(1);
  });
}
