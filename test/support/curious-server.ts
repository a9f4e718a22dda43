/**
 * What a curious server operator could read: every table of a journey's database as
 * text, every file under its upload directory, and a search of both for markers in
 * the forms a careless server might keep them in (as written, base64 at any
 * alignment, base64url, hex as PostgreSQL prints bytea). Plus the marked files the
 * curious-server journey attaches: a PNG whose pixels and text chunk carry a marker.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import pg from "pg";

/** Each table's rows as PostgreSQL prints them (bytea as hex), every schema but the system's. */
export async function databaseAsText(url: string): Promise<{ tables: number; text: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ schema: string; name: string }>(
      `select table_schema as schema, table_name as name from information_schema.tables
       where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
    );
    const parts: string[] = [];
    for (const { schema, name } of rows) {
      const quoted = `"${schema.replaceAll('"', '""')}"."${name.replaceAll('"', '""')}"`;
      const [dump] = (
        await client.query<{ text: string | null }>(`select string_agg(t::text, E'\\n') as text from ${quoted} t`)
      ).rows;
      parts.push(`-- ${schema}.${name}\n${dump?.text ?? ""}`);
    }
    return { tables: rows.length, text: parts.join("\n") };
  } finally {
    await client.end();
  }
}

export interface StoredFile {
  path: string;
  bytes: Buffer;
}

/**
 * Every file under `root`, and for each directory the concatenation of its files in
 * part order (`files/<uploadId>/<part>`), so a marker cut by a part boundary is found too.
 */
export function storedFiles(root: string): StoredFile[] {
  const found: StoredFile[] = [];
  const walk = (directory: string) => {
    const names = readdirSync(directory).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
    const files: Buffer[] = [];
    for (const name of names) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const bytes = readFileSync(path);
        files.push(bytes);
        found.push({ path, bytes });
      }
    }
    if (files.length > 1) found.push({ path: `${directory}/*`, bytes: Buffer.concat(files) });
  };
  walk(root);
  return found;
}

/** The ways `marker` may show up in stored text: as written, base64 (three alignments, both alphabets), hex. */
export function encodedForms(marker: Buffer): string[] {
  const forms = [marker.toString("hex")];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), marker]).toString("base64");
    // Only the groups of four made of marker bytes alone: the others depend on neighbours.
    const whole = encoded.slice(shift === 0 ? 0 : 4, Math.floor((shift + marker.length) / 3) * 4);
    forms.push(whole, whole.replaceAll("+", "-").replaceAll("/", "_"));
  }
  return forms;
}

/** Which of the markers (by name) appear in `haystack`, in any of their forms; text as written is matched ignoring case. */
export function markersIn(haystack: Buffer | string, markers: Record<string, Buffer>): string[] {
  const text = typeof haystack === "string" ? haystack : haystack.toString("latin1");
  const lower = text.toLowerCase();
  return Object.entries(markers)
    .filter(([, marker]) => {
      const asText = marker.toString("latin1").toLowerCase();
      return lower.includes(asText) || encodedForms(marker).some((form) => text.includes(form));
    })
    .map(([name]) => name);
}

/**
 * The first bytes of the image formats a thumbnail or a re-encoded image would be stored
 * as (a GIF is never re-encoded, and the journey attaches none). Each at least 8 bytes, so
 * its base64 forms are too long to turn up by chance in a database full of base64.
 */
export const IMAGE_SIGNATURES: Record<string, Buffer> = {
  "a PNG": Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"),
  "a JPEG": Buffer.from("ffd8ffe000104a464946", "hex"),
  "a lossy WebP": Buffer.from("WEBPVP8 ", "latin1"),
  "a lossless WebP": Buffer.from("WEBPVP8L", "latin1"),
};

/**
 * A PNG of one colour with a text chunk, its pixels stored uncompressed (deflate level 0),
 * so the colour's bytes appear as they are in the file a careless server would keep.
 */
export function markedPng(input: {
  width: number;
  height: number;
  rgb: [number, number, number];
  text: string;
}): Buffer {
  const { width, height, rgb } = input;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from("89504e470d0a1a0a", "hex"),
    chunk("IHDR", header),
    chunk("tEXt", Buffer.from(`Comment\0${input.text}`, "latin1")),
    chunk("IDAT", deflateSync(pixels, { level: 0 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, checksum]);
}
