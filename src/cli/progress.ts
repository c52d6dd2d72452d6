/**
 * Progress on stderr for long runs: a bar (cli-progress) when stderr is a
 * terminal and the output is not --json; nothing otherwise (CI, pipes), so
 * logs and machine-read output stay clean.
 */
import cliProgress from "cli-progress";
import type { StudyHooks } from "../study/run.js";
import { onEmbedProgress } from "../mapping/embed.js";

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

/**
 * Progress for a study (the study command, and benchmark suites that run one):
 * each step named on its own line above its bar, on a terminal only.
 */
export function studyProgress(name: string, json = false): { hooks: StudyHooks; stop(): void } {
  let bar: Progress | undefined;
  const say = (s: string) => {
    if (!json && process.stderr.isTTY) process.stderr.write(`${name}: ${s}\n`);
  };
  return {
    hooks: {
      step: (s) => {
        bar?.stop();
        bar = undefined;
        say(s);
      },
      compareProgress: (done, total) => {
        bar ??= progress("comparing", total, "runs", json);
        bar.update(done);
      },
      sample: { start: (total) => (bar = progress("sampling", total, "sweeps", json)), progress: (d) => bar?.update(d) },
    },
    stop: () => bar?.stop(),
  };
}

/**
 * The embedding search's spending of its work budget as a bar (on a terminal),
 * for as long as `during` runs: a long search shows it is working and when it
 * will give up.
 */
export async function withEmbedProgress<T>(json: boolean | undefined, during: () => Promise<T>): Promise<T> {
  let bar: Progress | undefined;
  onEmbedProgress((fraction, what) => {
    bar ??= progress(what, 100, "% of the search budget", json);
    bar.update(Math.round(100 * fraction));
    if (fraction >= 1) {
      bar.stop();
      bar = undefined;
    }
  });
  try {
    return await during();
  } finally {
    onEmbedProgress(undefined);
    bar?.stop();
  }
}
