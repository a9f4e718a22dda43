/**
 * Statements built once per database handle. Drizzle turns a query builder into SQL
 * text on every run; for the statements every request or socket runs (the session
 * check, a channel's access context) that cost the server's one thread more than the
 * database round trip did (bench: catch-up, 17 % of a reconnect). A prepared query
 * keeps its text and takes the values as placeholders.
 */
import type { Db } from "../db.ts";

/**
 * The name a prepared query gives PostgreSQL: none, so that each run is an unnamed
 * statement as before, and nothing prepared on a connection can outlive a migration
 * or trip up a connection pooler in front of the database.
 */
export const UNNAMED = "";

/** `build(db)` once per handle (the app's database object keeps one). */
export function preparedFor<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let found = built.get(db);
    if (found === undefined) built.set(db, (found = build(db)));
    return found;
  };
}
