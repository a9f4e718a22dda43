/** The browser page's entry: exposes the search index bench to bench/search-index.ts. */
import { measureIndex } from "./index-rate.ts";

(globalThis as unknown as { measureIndex: typeof measureIndex }).measureIndex = measureIndex;
