/** The admin page's sections, the current one marked for eyes and screen readers. */
import { SECTIONS, type AdminRouter } from "../models/admin-router.ts";
import { AdminLink } from "./admin-link.tsx";

export function AdminNav({ router }: { router: AdminRouter }) {
  const current = router.route.value.section;
  return (
    <nav class="admin-nav" aria-label="Admin sections">
      <ul>
        {SECTIONS.map(({ section, label, path }) => (
          <li key={section}>
            <AdminLink href={path} router={router} isCurrent={section === current}>
              {label}
            </AdminLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
