// Copy the ES modules the pages import (package.json "vendor": {"specifier": "path in
// node_modules"}) into frontend_static/vendor/, with each package's licence, and write
// vendor/importmap.json (specifier → path under /static/) for the base template's import map.
// `.mjs` files are stored as `.js`, a name every static server sends as JavaScript.
// Nothing is fetched here: `npm ci` has installed the locked versions.
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";

const manifest = JSON.parse(readFileSync("package.json", "utf8"));
const target = "frontend_static/vendor";
const imports = {};
const packages = new Set();
for (const [specifier, source] of Object.entries(manifest.vendor || {})) {
  const from = join("node_modules", source);
  if (!existsSync(from)) {
    console.error(`vendor file missing: ${from} (is it in dependencies?)`);
    process.exit(1);
  }
  const name = source.replace(/\.mjs$/, ".js");
  mkdirSync(dirname(join(target, name)), { recursive: true });
  copyFileSync(from, join(target, name));
  // The source map keeps its own name: the module's sourceMappingURL comment points at it.
  if (existsSync(`${from}.map`)) copyFileSync(`${from}.map`, join(target, `${source}.map`));
  imports[specifier] = `vendor/${name}`;
  packages.add(source.startsWith("@") ? source.split("/").slice(0, 2).join("/") : source.split("/")[0]);
}
for (const pkg of packages) {
  for (const file of ["LICENSE", "NOTICE"]) {
    if (existsSync(join("node_modules", pkg, file))) copyFileSync(join("node_modules", pkg, file), join(target, pkg, file));
  }
}
writeFileSync(join(target, "importmap.json"), `${JSON.stringify(imports, null, 2)}\n`);
