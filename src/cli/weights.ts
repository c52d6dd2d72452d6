/** `thermosim weights FILE [--json]`: what a weight file holds (names, shapes, ranges); checks it as a model load would. */
import type { Command } from "commander";
import { readWeights } from "../io/weights.js";

export function registerWeights(program: Command): void {
  program
    .command("weights")
    .description("list the arrays of a weight file (.npz stored or deflated, .safetensors, .npy, .json), checked as a model load checks them")
    .argument("<file>", "weight file")
    .option("--json", "print the listing as JSON")
    .action((file: string, f: { json?: boolean }) => {
      const w = readWeights(file);
      const arrays = [...w].map(([name, a]) => {
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of a.data) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        return { name, shape: a.shape, min: a.data.length ? lo : null, max: a.data.length ? hi : null };
      });
      if (f.json) {
        process.stdout.write(JSON.stringify({ file, arrays }) + "\n");
        return;
      }
      const lines = [`thermosim weights: ${file}: ${arrays.length} arrays`, ...arrays.map((a) => `  ${a.name.padEnd(16)} [${a.shape.join(", ")}]  ${a.min ?? "-"} .. ${a.max ?? "-"}`)];
      process.stdout.write(lines.join("\n") + "\n");
    });
}
