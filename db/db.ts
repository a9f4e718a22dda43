/** The Drizzle database type every named query receives. */
import type { NeonDatabase } from "drizzle-orm/neon-serverless";
import type * as schema from "./schema.ts";

export type Db = NeonDatabase<typeof schema>;
