// Copy the files the pages import (package.json "vendor": {"pkg/path/in/node_modules": "name"})
// into frontend_static/vendor/, where the import maps point. Nothing is fetched here.
import { readFileSync, mkdirSync, copyFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";

const manifest = JSON.parse(readFileSync("package.json", "utf8"));
const target = "frontend_static/vendor";
mkdirSync(target, { recursive: true });
for (const [source, name] of Object.entries(manifest.vendor || {})) {
  const from = join("node_modules", source);
  if (!existsSync(from)) {
    console.error(`vendor file missing: ${from} (is it in dependencies?)`);
    process.exit(1);
  }
  mkdirSync(dirname(join(target, name)), { recursive: true });
  copyFileSync(from, join(target, name));
}
