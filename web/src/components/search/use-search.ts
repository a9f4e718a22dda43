/**
 * The page's search: the device's engine (its encrypted index, filled in the
 * background) and the search box's model over it, made once per signed-in page
 * so the query and results stay while channels and communities change.
 */
import { useModel } from "@preact/signals";
import type { AccountEvents } from "../../models/account-events.ts";
import type { Communities } from "../../models/communities.ts";
import type { DirectMessages } from "../../models/direct-messages.ts";
import type { Encryption } from "../../models/encryption/encryption.ts";
import type { Router } from "../../models/router.ts";
import { searchDirectoryOf } from "../../models/search/search-directory.ts";
import { SearchEngineModel } from "../../models/search/search-engine.ts";
import type { SearchEngine } from "../../models/search/search-types.ts";
import { SearchViewModel, type SearchView } from "../../models/search/search-view.ts";
import type { Session } from "../../models/session.ts";

export interface SearchSources {
  session: Session;
  events: AccountEvents;
  encryption: Encryption;
  router: Router;
  communities: Communities;
  conversations: DirectMessages;
}

export function useSearch(sources: SearchSources): { engine: SearchEngine; view: SearchView } {
  const engine: SearchEngine = useModel(
    () => new SearchEngineModel(sources.session, sources.events, sources.encryption),
  );
  const view = useModel(() => {
    const lists = searchDirectoryOf(sources);
    return new SearchViewModel({
      engine,
      router: sources.router,
      directory: lists.directory,
      refreshDirectory: lists.refresh,
    });
  });
  return { engine, view };
}
