/**
 * axe-core in a journey's page: what it finds critical or serious, as "rule: targets"
 * lines a test expects to be empty. Injected through page.evaluate (the DevTools
 * protocol), so the page's strict CSP stays as it is.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** `context`: what axe checks, a CSS selector or axe's `{ include }` form. */
export async function seriousAxeFindings(page: Page, context: string | object): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (checked) => {
    type AxeResults = { violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] };
    const axe = (window as unknown as { axe: { run(context: string | object): Promise<AxeResults> } }).axe;
    const results = await axe.run(checked);
    return results.violations
      .filter((violation) => violation.impact === "critical" || violation.impact === "serious")
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  }, context);
}
