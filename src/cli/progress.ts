/**
 * Progress on stderr for long runs: a bar (cli-progress) when stderr is a
 * terminal and the output is not --json; nothing otherwise (CI, pipes), so
 * logs and machine-read output stay clean.
 */
import cliProgress from "cli-progress";

export interface Progress {
  /** Set the amount done (in the bar's unit). */
  update(done: number): void;
  stop(): void;
}

const NONE: Progress = { update() {}, stop() {} };

export function progress(label: string, total: number, unit: string, json = false): Progress {
  if (json || !process.stderr.isTTY || !(total > 0)) return NONE;
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | eta {eta_formatted}`,
    hideCursor: true,
    clearOnComplete: true,
    fps: 5,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  return {
    update: (done) => bar.update(Math.min(total, done)),
    stop: () => bar.stop(),
  };
}
