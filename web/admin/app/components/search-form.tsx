/** A search box for a list the server searches; an empty search shows everything again. */
interface SearchFormProps {
  /** The input's id, unique on the page. */
  id: string;
  label: string;
  /** The search the list in view answers. */
  value: string;
  maxLength: number;
  onSearch: (text: string) => void;
}

export function SearchForm({ id, label, value, maxLength, onSearch }: SearchFormProps) {
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    onSearch(String(new FormData(event.currentTarget as HTMLFormElement).get("search") ?? ""));
  };
  return (
    <form class="search-form" role="search" onSubmit={onSubmit}>
      <label for={id}>{label}</label>
      <div class="field-row">
        <input id={id} name="search" type="search" defaultValue={value} maxLength={maxLength} />
        <button type="submit">Search</button>
      </div>
    </form>
  );
}
