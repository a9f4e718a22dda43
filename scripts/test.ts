/**
 * `npm test` (after the build): the two vitest projects side by side, one process each.
 * In one vitest run they take turns: a project that runs one file at a time (`node`:
 * whole servers and browsers) is put in a group of its own, after the others, and the
 * `workers` project gets the default of one worker on two cores, so the whole suite ran
 * one file at a time. The node project's files mostly wait (on browsers, sockets,
 * servers starting), which leaves room for the workers project's beside them.
 * Arguments go to both (a file filter matching only one project's files is fine);
 * with `--project`, vitest runs as asked, alone.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

const root = join(import.meta.dirname, "..");
const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
const args = process.argv.slice(2);
const runs = args.some((arg) => arg === "--project" || arg.startsWith("--project="))
  ? [args]
  : ["workers", "node"].map((project) => ["--project", project, "--passWithNoTests", ...args]);

const children: ChildProcess[] = [];
const exits = runs.map(
  (runArgs) =>
    new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [vitest, "run", ...runArgs], {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
        env: process.env,
      });
      children.push(child);
      // Whole lines only, so the two reports interleave line by line and never mid-line.
      createInterface({ input: child.stdout! }).on("line", (line) => process.stdout.write(`${line}\n`));
      createInterface({ input: child.stderr! }).on("line", (line) => process.stderr.write(`${line}\n`));
      child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    }),
);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}
const codes = await Promise.all(exits);
process.exit(codes.find((code) => code !== 0) ?? 0);
