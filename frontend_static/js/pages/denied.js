// A page the signed-in role may not use: the server has said so in the page; only the
// header's buttons need wiring.
import { start } from "app/lib/shell.js";

start();
