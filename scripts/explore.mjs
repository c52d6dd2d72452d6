// `npm run explore`: build the explorer page (scripts/build-explorer.mjs) and
// serve build/explore on localhost with esbuild's static server; prints the
// address. --port N (default 8765; 0 = any free port), --host H (default 127.0.0.1).
import * as esbuild from "esbuild";
import { buildExplorer } from "./build-explorer.mjs";

/** Serve the built page; returns the address and a stop function (tests use it too). */
export async function serveExplorer({ port = 8765, host = "127.0.0.1", quiet = false } = {}) {
  const { out } = await buildExplorer({ quiet });
  const ctx = await esbuild.context({ logLevel: "silent" });
  const s = await ctx.serve({ servedir: out, port, host });
  return { url: `http://${host}:${s.port}/`, stop: () => ctx.dispose() };
}

if (process.argv[1]?.endsWith("explore.mjs")) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : def;
  };
  const { url } = await serveExplorer({ port: Number(arg("--port", "8765")), host: arg("--host", "127.0.0.1") });
  console.log(`thermosim explorer: ${url}  (Ctrl-C to stop)`);
}
