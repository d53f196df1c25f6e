import { landing } from "app/nav.js";
import { shell } from "app/shell.js";

shell({ requireLogin: true }).then(async (me) => { if (me) location.replace(await landing()); });
