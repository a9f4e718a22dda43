/**
 * Things to undo when the bench ends, however it ends: normal exit, an error, or
 * Ctrl-C. The server runs in its own process group (so a terminal's Ctrl-C does not
 * reach workerd) and the database outlives us, so both must be stopped explicitly.
 */

type Undo = { label: string; run: () => Promise<void> };

/** How long one undo step may take before we give up on it and move on. */
const STEP_TIMEOUT_MS = 10_000;

const steps: Undo[] = [];
let running: Promise<void> | undefined;

/** Registers an undo step; steps run last-registered first. */
export function onCleanup(label: string, run: () => Promise<void>): void {
  steps.push({ label, run });
}

/** Runs every registered step once, in reverse order; later calls wait for the first. */
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
  })();
  return running;
}

/**
 * Cleans up before any abnormal end: SIGINT/SIGTERM (exit 130/143; a second signal
 * exits at once), a crash, or a closed stdout (`npm run bench | head`), which would
 * otherwise kill us with the server still running and the database left behind.
 */
export function cleanUpOnAbnormalExit(): void {
  const cleanUpAndExit = (code: number) => {
    if (running) process.exit(code);
    void cleanup().finally(() => process.exit(code));
  };
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.on(signal, () => {
      if (!running) console.error(`\n${signal}: stopping the server and dropping the database...`);
      cleanUpAndExit(code);
    });
  }
  process.stdout.on("error", () => cleanUpAndExit(1)); // EPIPE: nobody reads the results any more
  process.on("uncaughtException", (error) => {
    console.error(`bench crashed: ${error.stack ?? error.message}`);
    cleanUpAndExit(1);
  });
}
