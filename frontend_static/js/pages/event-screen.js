// The big screen of a contest (/events/<slug>/screen/): no login, read only, full screen,
// large type for the back of a hall; updates itself from the board socket.
import "app/strings/events.js";
import { Board, useBoard } from "app/events/board.js";
import { $ } from "app/lib/dom.js";
import { t } from "app/lib/i18n.js";
import { setTitle, start } from "app/lib/shell.js";
import { html, render } from "app/lib/view.js";

const slug = location.pathname.split("/")[2];

function Screen() {
  const [board, status] = useBoard(slug);
  $("#screen").dataset.status = status;
  if (board) setTitle(`${board.title} · ${t("events.screen")}`);
  const full = () => document.documentElement.requestFullscreen && document.documentElement.requestFullscreen();
  return html`<h1 onClick=${full}>${board ? board.title : ""}</h1>
    <${Board} board=${board} columns=${["gmv", "orders", "peak", "likes", "votes"]} />`;
}

start(async () => {
  render(html`<${Screen} />`, $("#screen"));
}, { requireLogin: false });
