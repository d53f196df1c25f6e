// The navigation comes from the server: each app declares its pages (declare.py) and
// /api/v1/nav answers with the ones the signed-in user (or visitor) may use, translated,
// and where that user lands after login. This module holds no table of pages.
import { api } from "app/api.js";

export async function navigation() {
  return api("/nav");
}

export async function landing() {
  const nav = await navigation();
  return nav.landing || "/account/";
}
