/** Every community with its owner and size, searched and paged by the server; one opens in detail. */
import { FormError } from "../../../src/components/form-error.tsx";
import { dateTimeInWords } from "../../../src/components/time-words.ts";
import type { Communities } from "../models/communities-model.ts";
import { numberInWords } from "./admin-words.ts";
import { CommunityDetail } from "./community-detail.tsx";
import { Pager } from "./pager.tsx";
import { SearchForm } from "./search-form.tsx";
import { SectionHeading } from "./section-heading.tsx";
import { StatusMessage } from "./status-message.tsx";

export function CommunitiesSection({ communities }: { communities: Communities }) {
  const { list, selected } = communities;
  const items = list.items.value;
  const search = list.search.value;
  return (
    <section class="section" aria-labelledby="communities-heading">
      <SectionHeading id="communities-heading">Communities</SectionHeading>
      <StatusMessage text={communities.notice.value} />
      {selected.value ? (
        <CommunityDetail key={selected.value.id} communities={communities} community={selected.value} />
      ) : (
        <>
          <SearchForm
            id="community-search"
            label="Search by name"
            value={search}
            maxLength={100}
            onSearch={list.searchFor}
          />
          <FormError id="communities-error" error={list.loading.error.value} />
          {list.hasLoaded.value && items.length === 0 && (
            <p>{search ? `No community's name contains “${search}”.` : "There are no communities yet."}</p>
          )}
          {items.length > 0 && (
            <table class="data" aria-label="Communities">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Members</th>
                  <th scope="col">Channels</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {items.map((community) => (
                  <tr key={community.id}>
                    <th scope="row" data-label="Name">
                      <button type="button" class="link-button" onClick={() => communities.open(community)}>
                        {community.name}
                      </button>
                    </th>
                    <td data-label="Owner">{community.ownerName}</td>
                    <td data-label="Members" class="nowrap">
                      {numberInWords(community.members)}
                    </td>
                    <td data-label="Channels" class="nowrap">
                      {numberInWords(community.channels)}
                    </td>
                    <td data-label="Created">{dateTimeInWords(community.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager
            label="communities"
            pageNumber={list.pageNumber}
            hasPrevious={list.hasPrevious}
            hasNext={list.hasNext}
            isBusy={list.loading.isBusy.value}
            onPrevious={list.previousPage}
            onNext={list.nextPage}
          />
        </>
      )}
    </section>
  );
}
