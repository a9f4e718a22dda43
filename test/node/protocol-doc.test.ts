/**
 * The socket protocol is documented in one place, docs/api.md; this checks that
 * place against the shared protocol module, so neither can change without the other.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clientFrameSchema, ERROR_CODES, SERVER_FRAME_TYPES } from "../../protocol/index.ts";

const doc = readFileSync(join(import.meta.dirname, "..", "..", "docs", "api.md"), "utf8");
const socketSection = doc.slice(doc.indexOf("## The channel socket"));
const clientSection = socketSection.slice(0, socketSection.indexOf("Server → client"));
const serverSection = socketSection.slice(socketSection.indexOf("Server → client"));

describe("docs/api.md", () => {
  it("documents every client frame type", () => {
    const types = clientFrameSchema.options.map((option) => option.shape.type.value);
    for (const type of types) expect(clientSection, type).toContain(`\`${type}\``);
  });

  it("documents every server frame type and every error code", () => {
    for (const type of SERVER_FRAME_TYPES) expect(serverSection, type).toContain(`\`${type}\``);
    for (const code of ERROR_CODES) expect(serverSection, code).toContain(`\`${code}\``);
  });

  it("names no frame type the protocol does not have", () => {
    const known = new Set<string>([
      ...clientFrameSchema.options.map((option) => option.shape.type.value),
      ...SERVER_FRAME_TYPES,
    ]);
    const listed = [...socketSection.matchAll(/^- `([a-z_]+)`/gm)].map((match) => match[1]!);
    expect(listed.length).toBeGreaterThan(10);
    for (const type of listed) expect(known, type).toContain(type);
  });
});
