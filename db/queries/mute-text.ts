/**
 * A stored mute as the wire reads it, as a field of a larger select: 'infinity' is
 * "forever", a mute that ended is null. A helper for the query modules, not a module
 * of queries.
 */
import { sql, type Column } from "drizzle-orm";

export const liveMute = (column: Column) =>
  sql<string | null>`case when ${column} = 'infinity' then 'forever'
    when ${column} > now() then to_json(${column}) #>> '{}' end`;
