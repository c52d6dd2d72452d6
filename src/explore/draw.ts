/**
 * The explorer's small drawing helpers: numbers for a person, the meter
 * table and the live line plots (plain canvas: tens of frames a second).
 */
import { formatSI } from "../units.js";

export const si = (v: number, unit: string) => (Number.isFinite(v) ? formatSI(v, unit, 3) : "—");
export const fmt = (v: number, d = 3) => (Number.isFinite(v) ? Number(v.toPrecision(d)).toLocaleString("en") : "—");
export const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function meterTable(title: string, rows: [string, string, string][]): string {
  return `<h3>${title}</h3><table>${rows.map(([k, v, d]) => `<tr><td>${k}</td><td class="v">${v}</td></tr>${d ? `<tr><td class="d" colspan="2">${d}</td></tr>` : ""}`).join("")}</table>`;
}

/** A line plot of the last values (x = index), with its range on the left axis. */
export function drawTrace(c: HTMLCanvasElement, ys: number[], title: string, firstIndex: number, fixed?: [number, number]) {
  const g = c.getContext("2d")!;
  const W = c.width, H = c.height, L = 58, R = 8, T = 20, B = 22;
  g.clearRect(0, 0, W, H);
  g.font = "12px system-ui, sans-serif";
  g.fillStyle = "#1d232b";
  g.fillText(title, L, 14);
  if (ys.length === 0) return;
  let lo = fixed ? fixed[0] : Math.min(...ys), hi = fixed ? fixed[1] : Math.max(...ys);
  if (hi - lo < 1e-12) { lo -= 1; hi += 1; }
  const x = (i: number) => L + ((W - L - R) * i) / Math.max(1, ys.length - 1);
  const y = (v: number) => T + ((H - T - B) * (hi - v)) / (hi - lo);
  g.strokeStyle = "#d5dae0";
  g.strokeRect(L, T, W - L - R, H - T - B);
  g.fillStyle = "#5b6470";
  g.fillText(fmt(hi), 4, T + 10);
  g.fillText(fmt(lo), 4, H - B);
  g.fillText(`sweep ${firstIndex}`, L, H - 6);
  const last = `sweep ${firstIndex + ys.length - 1}`;
  g.fillText(last, W - R - g.measureText(last).width, H - 6);
  g.strokeStyle = "#2f6fb0";
  g.lineWidth = 1.2;
  g.beginPath();
  ys.forEach((v, i) => (i === 0 ? g.moveTo(x(i), y(v)) : g.lineTo(x(i), y(v))));
  g.stroke();
}
