/**
 * Related rows inside one statement: `jsonRows(table, where)` is a subquery that
 * returns the matching rows of `table` as one JSON array (camelCase keys), and
 * `decodeRows` turns that array back into the records a plain select would give,
 * through each column's own decoder (timestamps become Dates again). Loads that
 * used to take a round trip per table take one; not itself a module of queries.
 */
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

function rowObject(table: PgTable): SQL {
  const fields = Object.entries(getTableColumns(table)).map(
    // Keys are our own column names, never input: safe to inline as literals.
    ([key, column]) => sql`${sql.raw(`'${key}'`)}, ${column}`,
  );
  return sql`json_build_object(${sql.join(fields, sql`, `)})`;
}

/** The rows of `table` matching `where` as a JSON array, `[]` when there are none. */
export function jsonRows(table: PgTable, where: SQL | undefined, orderBy?: SQL): SQL<unknown> {
  const order = orderBy ? sql` order by ${orderBy}` : sql``;
  return sql`(select coalesce(json_agg(${rowObject(table)}${order}), '[]'::json) from ${table} where ${where})`;
}

/** The records of a `jsonRows` array, decoded as a select of `table` would decode them. */
export function decodeRows<T extends PgTable>(table: T, rows: unknown): T["$inferSelect"][] {
  const columns = Object.entries(getTableColumns(table));
  return (rows as Record<string, unknown>[]).map((row) => {
    const record: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = row[key];
      record[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return record as T["$inferSelect"];
  });
}
