// Build the dashboard's static files into src/newsevents/server/static/ (committed, so that
// installing or testing newsevents needs no npm step).  Run: cd web && npm ci && npm run build
//
// - world-land.svg: the Natural Earth 1:110m land and country borders (from the world-atlas npm
//   package, ISC; data public domain) projected once with d3-geo's equirectangular projection onto
//   a MAP_WIDTH x MAP_HEIGHT box.  newsevents/server/charts.py places event dots with the same
//   projection (x = (lon + 180) / 360 * W, y = (90 - lat) / 180 * H), so the two must agree.
// - favicon.svg: a small icon drawn here.
// - style.css: web/src/style.css, minified with esbuild.
// - LICENSES.txt: the notices of the packages whose data ship in static/.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { geoEquirectangular, geoPath } from "d3-geo";
import { feature, mesh } from "topojson-client";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "newsevents", "server", "static");
const MAP_WIDTH = 720;
const MAP_HEIGHT = 360;
mkdirSync(out, { recursive: true });

const readJson = (p) => JSON.parse(readFileSync(join(here, "node_modules", p), "utf8"));
const land = readJson("world-atlas/land-110m.json");
const countries = readJson("world-atlas/countries-110m.json");
const projection = geoEquirectangular().scale(MAP_WIDTH / (2 * Math.PI)).translate([MAP_WIDTH / 2, MAP_HEIGHT / 2]);
const path = geoPath(projection).digits(1);
const landPath = path(feature(land, land.objects.land));
const borderPath = path(mesh(countries, countries.objects.countries, (a, b) => a !== b));
const svg =
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${MAP_WIDTH} ${MAP_HEIGHT}" ` +
  `width="${MAP_WIDTH}" height="${MAP_HEIGHT}">` +
  `<rect width="${MAP_WIDTH}" height="${MAP_HEIGHT}" fill="#eef3f8"/>` +
  `<path d="${landPath}" fill="#d5dbe2"/>` +
  `<path d="${borderPath}" fill="none" stroke="#ffffff" stroke-width="0.5"/></svg>\n`;
writeFileSync(join(out, "world-land.svg"), svg);

// A small favicon (a dot on a globe line), so that browsers do not ask for a missing /favicon.ico.
writeFileSync(
  join(out, "favicon.svg"),
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#16202c"/>' +
    '<path d="M1 8h14" stroke="#8fa3b8"/><circle cx="10" cy="6" r="2.5" fill="#d55e00"/></svg>\n',
);

await build({
  entryPoints: [join(here, "src", "style.css")],
  outfile: join(out, "style.css"),
  minify: true,
  bundle: true,
  logLevel: "warning",
});

const notice = (pkg) => {
  const meta = readJson(`${pkg}/package.json`);
  const text = readFileSync(join(here, "node_modules", pkg, "LICENSE"), "utf8");
  return `${meta.name} ${meta.version} (${meta.license})\n${text.trim()}\n`;
};
writeFileSync(
  join(out, "LICENSES.txt"),
  "Files in this folder are built by web/build.mjs.\n\n" +
    "world-land.svg is derived from the world-atlas package, which packages Natural Earth data " +
    "(public domain), projected with d3-geo and decoded with topojson-client.\n\n" +
    ["world-atlas", "d3-geo", "topojson-client"].map(notice).join("\n"),
);
console.log(`wrote world-land.svg (${svg.length} bytes), style.css, LICENSES.txt to ${out}`);
