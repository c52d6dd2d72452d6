// Writes bars-and-stripes.npy: every S x S image made of whole rows ("stripes") or whole columns
// ("bars"), each distinct image once, 0/1 uint8 [images, S*S] (S = 3: 14 images).
// Usage: node examples/study/bars-and-stripes.mjs [S] [OUT.npy]   (after npm run build)
import { writeFileSync } from "node:fs";
import { encodeNpy } from "../../dist/src/io/npy.js";

const S = Number(process.argv[2] ?? 3);
const out = process.argv[3] ?? new URL("bars-and-stripes.npy", import.meta.url).pathname;
const images = new Set();
for (let mask = 0; mask < 1 << S; mask++) {
  let rows = "", cols = "";
  for (let r = 0; r < S; r++) for (let c = 0; c < S; c++) {
    rows += (mask >> r) & 1;
    cols += (mask >> c) & 1;
  }
  images.add(rows);
  images.add(cols);
}
const list = [...images].sort();
const data = Uint8Array.from(list.join(""), (ch) => Number(ch));
writeFileSync(out, encodeNpy({ dtype: "uint8", shape: [list.length, S * S], data }));
console.log(`${out}: ${list.length} images of ${S} x ${S}`);
