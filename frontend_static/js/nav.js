// The one table of pages that exist. Navigation and the landing page come from it;
// a role with no page of its own lands on its account page.
export const PAGES = [
  { path: "/account/", label: "nav.account", roles: "*" },
  { path: "/merchant/products/", label: "nav.merchant_products", roles: ["merchant", "office_staff", "platform_admin"] },
  { path: "/merchant/orders/", label: "nav.merchant_orders", roles: ["merchant", "office_staff", "platform_admin"] },
  { path: "/shop/", label: "nav.shop", roles: ["buyer"] },
  { path: "/shop/orders/", label: "nav.my_orders", roles: ["buyer"] },
  { path: "/admin/", label: "nav.admin", roles: ["platform_admin", "office_staff"], external: true },
  { path: "/api/docs", label: "nav.api_docs", roles: ["platform_admin", "office_staff", "merchant"], external: true },
];

export function pagesFor(roles) {
  return PAGES.filter((p) => p.roles === "*" || p.roles.some((r) => roles.includes(r)));
}

export function landingFor(roles) {
  const own = PAGES.find((p) => p.roles !== "*" && !p.external && p.roles.some((r) => roles.includes(r)));
  return own ? own.path : "/account/";
}
