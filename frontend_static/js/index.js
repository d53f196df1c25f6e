import { landingFor } from "app/nav.js";
import { shell } from "app/shell.js";

shell({ requireLogin: true }).then((me) => { if (me) location.replace(landingFor(me.roles)); });
