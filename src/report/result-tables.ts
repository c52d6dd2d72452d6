/**
 * The rows of a compare or sweep result as a person reads them, from its JSON
 * alone, as plain text: the HTML report escapes and prints them, the
 * explorer's viewer does the same in the browser, so both show the same cells.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type TextTable = { head: string[]; rows: string[][] };

/** A number for a person: 3 significant digits, exponents for the very small and large (never rounded to 0). */
export function num(x: unknown, unit = ""): string {
  if (x === null || x === undefined) return "—";
  if (typeof x !== "number") return String(x);
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  const s = a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(2) : Number(x.toPrecision(3)).toString();
  return unit ? `${s} ${unit}` : s;
}

/** compare.json's systems: one row per system and energy model. */
export function compareTable(cmp: Json): TextTable {
  const rows = (cmp.systems ?? []) as Json[];
  return {
    head: ["system", "energy model", "reached", "energy to solution (median, p90)", "time to solution (median, p90)", "sweeps to target", "IAT (sweeps)", "ESS per J", "vs best digital (energy)"],
    rows: rows.map((r) => [
      String(r.name), String(r.energy_model), `${num(100 * r.reached_fraction)}%`,
      `${num(r.energy_to_solution_J?.median, "J")}, ${num(r.energy_to_solution_J?.p90, "J")}`,
      `${num(r.time_to_solution_s?.median, "s")}, ${num(r.time_to_solution_s?.p90, "s")}`,
      num(r.sweeps_to_target?.median), num(r.iat_sweeps), num(r.ess_per_J),
      r.ratio_to_best_digital?.energy == null ? "—" : `${num(r.ratio_to_best_digital.energy)}x`,
    ]),
  };
}

/** compare.json's headline: one row per digital class, the most conservative first. */
export function headlineTable(cmp: Json): TextTable {
  const h = cmp.headline as Json | undefined;
  const chip = h?.best_chip as Json | undefined;
  return {
    head: ["digital class", "cheapest row that reached the target every time", "its energy to solution", "per update", `${chip ? chip.name : "chip"}: energy to solution`, "chip's advantage"],
    rows: ((h?.digital ?? []) as Json[]).map((d) => [
      String(d.class), d.twin_of ? `${d.name} (${d.twin_of}'s integer twin)` : `${d.name} on ${d.energy_model}`, num(d.energy_J, "J"), num(d.energy_per_update_J, "J"),
      chip ? num(chip.energy_J, "J") : "—", `${num(d.chip_advantage)}x`,
    ]),
  };
}

/** The break-even value of every figure of the headline's lead comparison, assumed and uncharged ones first. */
export function breakEvenTable(cmp: Json): TextTable {
  const h = cmp.headline as Json | undefined;
  const lead = h?.digital?.[0] as Json | undefined;
  const unit = (u: string) => (u === "J/update" ? "J" : u);
  const when: Record<string, string> = { below: "while below", above: "while above", always: "always", never: "never" };
  return {
    head: ["figure", "status", "priced at", "the chip stays cheaper", "break-even"],
    rows: ((lead?.sensitivity?.break_even ?? []) as Json[]).map((b) => [
      String(b.figure), String(b.status), num(b.value, unit(b.unit)), when[b.chip_wins_while] ?? String(b.chip_wins_while), b.break_even === null ? "—" : num(b.break_even, unit(b.unit)),
    ]),
  };
}

/** sweep.json's points (the first `limit`): axis values, then every figure, then whether on the Pareto front. */
export function sweepTable(sw: Json, limit: number): TextTable {
  const rows = (sw.rows ?? []) as Json[];
  const axes = (sw.axes ?? []) as string[];
  const front = new Set<number>((sw.pareto?.front ?? []) as number[]);
  const figs = [...new Set(rows.flatMap((r) => Object.keys(r.figures ?? {})))];
  return {
    head: ["point", ...axes, ...figs, "on the front"],
    rows: rows.slice(0, limit).map((r) => [
      String(r.point), ...axes.map((a) => String(r.values?.[a])), ...figs.map((f) => num(r.figures?.[f])), front.has(r.point) ? "yes" : "",
    ]),
  };
}
