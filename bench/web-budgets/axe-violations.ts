/**
 * axe-core's findings on the page as it is: the rules violated and how many elements
 * break each. axe is evaluated through DevTools, which the page's CSP does not govern
 * (a script tag would be refused).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeFindings {
  /** Rules violated, each with the number of elements. */
  violations: { id: string; impact: string; nodes: number }[];
}

export async function axeViolations(page: Page): Promise<AxeFindings> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
      }
    ).axe;
    const results = await axe.run();
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      nodes: violation.nodes.length,
    }));
  });
  return { violations };
}
