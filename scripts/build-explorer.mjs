// Build the explorer page into build/explore/: the page and its worker bundled
// with esbuild from src/explore/ (Node-only modules swapped for their browser
// versions), the kernels' release .wasm files copied byte for byte, and
// presets.json: every chip preset with its `extends` merged and its technology
// table inlined, kept only if its default explorer run maps (the rest listed
// with the reason). Needs `npm run build` first (it reads dist/ and build/).
import * as esbuild from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "explore");
const dist = (p) => import(join(root, "dist", "src", p));

/** Browser stand-ins: node:* built-ins (never called on the page's paths) and two Node-specific modules. */
const browser = {
  name: "thermosim-browser",
  setup(b) {
    const swaps = [
      [/[\\/]wasm[\\/]load\.js$/, join(root, "src", "explore", "wasm-browser.ts")],
      [/[\\/]units-math\.js$/, join(root, "src", "explore", "units-math-browser.ts")],
    ];
    b.onResolve({ filter: /\.js$/ }, (a) => {
      for (const [re, to] of swaps) if (re.test(a.path)) return { path: to };
      return undefined;
    });
    b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: "node-stub" }));
    // A module whose every export throws if used: a call on the page would be a bug, loud at once.
    b.onLoad({ filter: /.*/, namespace: "node-stub" }, (a) => ({
      contents: `module.exports = new Proxy({}, { get: (_, k) => k === "__esModule" ? false : () => { throw new Error("${a.path}." + String(k) + " is not available in the browser"); } });`,
      loader: "js",
    }));
  },
};

/**
 * The licences of every npm package bundled into the page and its worker (from esbuild's list of
 * inputs): a static copy of the page ships its third-party notices with it.
 */
function thirdPartyNotices(metafile) {
  const pkgs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) pkgs.add(m[1]);
  }
  const parts = [...pkgs].sort().map((name) => {
    const dir = join(root, "node_modules", name);
    const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
    const text = file ? readFileSync(join(dir, file), "utf8").trim() : `(no licence file in the package; package.json says: ${meta.license ?? "nothing"})`;
    return `${name} ${meta.version} (${meta.license ?? "licence not stated"})\n\n${text}\n`;
  });
  return `Third-party software bundled into the thermosim explorer (page.js and worker.js), with its licences.\n\n${parts.join("\n" + "-".repeat(72) + "\n\n")}`;
}

export async function buildExplorer({ quiet = false } = {}) {
  mkdirSync(join(out, "wasm"), { recursive: true });
  const { chipFromDocument, loadChipDocument, presetNames, resolveChipFile } = await dist("chips/load.js");
  const { loadTechTable, resolvedTable } = await dist("energy/table.js");
  const { modelFromJson } = await dist("models/load.js");
  const { LivePbit } = await dist("explore/live-pbit.js");
  const { LiveLangevin } = await dist("explore/live-langevin.js");
  const { gaussian2dDoc, modelGraph, spinModelDoc } = await dist("explore/models.js");

  const chips = {};
  const pbit = [];
  const langevin = [];
  const excluded = {};
  const asyncChips = [];
  for (const name of presetNames()) {
    const file = resolveChipFile(name);
    const doc = loadChipDocument(file);
    const spec = chipFromDocument(doc, file);
    const table = loadTechTable(spec.energy, file);
    const rel = `circuits/chips/${name}.yaml`;
    try {
      // The page's default run on this chip must map; a chip that cannot is left out, with why.
      if (spec.kind === "pbit") {
        const g = modelGraph(spec);
        if (g.topology.size > 1_000_000) throw new Error(`${g.topology.size} p-bits: too many to run live in a page`);
        new LivePbit(spec, modelFromJson(spinModelDoc(g, "ferromagnet", 1), "explorer model"), table, spec.schedule, 1, 1);
        pbit.push(name);
        if (spec.async) asyncChips.push(name);
      } else {
        new LiveLangevin(spec, modelFromJson(gaussian2dDoc(), "explorer model"), table, 1, 1);
        langevin.push(name);
      }
      chips[name] = { doc: { ...doc, energy: resolvedTable(table) }, file: rel };
    } catch (e) {
      excluded[name] = e.message;
    }
  }
  const built = new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC";
  writeFileSync(join(out, "presets.json"), JSON.stringify({ chips, pbit, langevin, asyncChips, excluded, built }));

  for (const k of ["pbit", "langevin"]) copyFileSync(join(root, "build", `${k}.release.wasm`), join(out, "wasm", `${k}.release.wasm`));
  for (const f of readdirSync(join(root, "explore"))) copyFileSync(join(root, "explore", f), join(out, f));
  const result = await esbuild.build({
    entryPoints: { page: join(root, "src", "explore", "page.ts"), worker: join(root, "src", "explore", "worker.ts") },
    outdir: out, bundle: true, format: "iife", platform: "browser", target: "chrome110", minify: true, sourcemap: true,
    plugins: [browser], logLevel: quiet ? "error" : "warning", legalComments: "none", metafile: true,
    // paths.ts reads import.meta.url only when called, which the page never does.
    logOverride: { "empty-import-meta": "silent" },
  });
  writeFileSync(join(out, "THIRD-PARTY-NOTICES.txt"), thirdPartyNotices(result.metafile));
  if (!quiet) console.log(`build-explorer: ${out} (p-bit chips: ${pbit.join(", ")}; analog: ${langevin.join(", ")}${Object.keys(excluded).length ? `; left out: ${Object.entries(excluded).map(([k, v]) => `${k} (${v})`).join("; ")}` : ""})`);
  return { out, pbit, langevin, excluded };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildExplorer();
}
