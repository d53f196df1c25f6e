// / : on to the signed-in user's landing page (the first page of their own roles).
import { api } from "app/lib/api.js";
import { start } from "app/lib/shell.js";

start(async () => {
  const nav = await api("/nav");
  location.replace(nav.landing || "/account/");
});
