/**
 * Where in the admin page we are, as a signal over the address: /admin,
 * /admin/users, /admin/users/<id>, /admin/registration, /admin/communities,
 * /admin/audit, /admin/settings. The server answers every /admin path with the
 * shell, so each survives a reload and can be shared with another admin.
 */
import { computed, createModel, effect, signal } from "@preact/signals";

export type AdminSection = "overview" | "users" | "registration" | "communities" | "audit" | "settings";

export type AdminRoute = { section: Exclude<AdminSection, "users"> } | { section: "users"; userId: string | null };

export const SECTIONS: { section: AdminSection; label: string; path: string }[] = [
  { section: "overview", label: "Overview", path: "/admin" },
  { section: "users", label: "Users", path: "/admin/users" },
  { section: "registration", label: "Registration", path: "/admin/registration" },
  { section: "communities", label: "Communities", path: "/admin/communities" },
  { section: "audit", label: "Audit log", path: "/admin/audit" },
  { section: "settings", label: "Settings", path: "/admin/settings" },
];

export const userPath = (userId: string) => `/admin/users/${encodeURIComponent(userId)}`;

export function parseAdminRoute(path: string): AdminRoute {
  const parts = path.replace(/\/+$/, "").split("/").slice(2);
  const [section, id] = parts;
  if (section === "users") {
    try {
      return { section: "users", userId: id ? decodeURIComponent(id) : null };
    } catch {
      return { section: "users", userId: null }; // a malformed %-escape
    }
  }
  const known = SECTIONS.find((entry) => entry.section === section);
  return known && known.section !== "users" ? { section: known.section } : { section: "overview" };
}

export const AdminRouterModel = createModel(() => {
  const path = signal(location.pathname);
  const route = computed(() => parseAdminRoute(path.value));

  effect(() => {
    const onPopState = () => (path.value = location.pathname);
    addEventListener("popstate", onPopState);
    return () => removeEventListener("popstate", onPopState);
  });

  return {
    route,
    navigate(to: string) {
      if (to !== location.pathname) history.pushState(null, "", to);
      path.value = to;
    },
  };
});

export type AdminRouter = InstanceType<typeof AdminRouterModel>;
