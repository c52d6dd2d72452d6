/**
 * The main job's report in a real browser: `npm start`'s study
 * (examples/study/quick.yaml) is run, and its index.html is opened from disk
 * in headless Chromium (Debian's chromium driven by playwright-core; .ci/run
 * installs it). Every figure must have rendered: each inline SVG has drawn
 * marks with a non-empty path or shape, each picture decoded to a non-zero
 * size, every PNG/SVG link points at a file that exists, nothing is fetched
 * from the network, and the page raises no errors. Screenshots are written
 * beside the report (report/screenshots/) for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

const root = join(__dirname, "..");

function findChromium(): string | undefined {
  for (const p of [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (p && existsSync(p)) return p;
  return undefined;
}

/** What each figure of a page shows: drawn marks and text of its SVG, or whether its picture decoded. */
async function inspect(page: Page) {
  return page.evaluate(() => Array.from(document.querySelectorAll("figure")).map((f) => {
    const svg = f.querySelector("svg");
    const img = f.querySelector("img");
    const marks = svg ? Array.from(svg.querySelectorAll("g[class*='role-mark'] path, g[class*='role-mark'] rect, g[class*='role-mark'] line")) : [];
    const drawn = marks.filter((m) => (m.getAttribute("d") ?? "").length > 1 || Number(m.getAttribute("width") ?? 0) > 0 || m.tagName === "line");
    const box = (svg ?? img)?.getBoundingClientRect();
    return {
      id: f.id, kind: svg ? "svg" : img ? "img" : "none",
      drawn: drawn.length, texts: svg ? svg.querySelectorAll("text").length : 0,
      imgOk: img ? img.complete && img.naturalWidth > 0 && img.naturalHeight > 0 : null,
      width: box?.width ?? 0, height: box?.height ?? 0,
      links: Array.from(f.querySelectorAll("a")).map((a) => a.getAttribute("href")),
    };
  }));
}

describe("the main job's report in headless Chromium", () => {
  let dir: string;
  let browser: Browser | undefined;
  const exe = findChromium();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "thermosim-browser-"));
  });
  afterAll(async () => {
    await browser?.close();
    if (!process.env.KEEP_REPORT) rmSync(dir, { recursive: true, force: true });
  });

  it("finds Chromium (Debian's chromium; .ci/run installs it)", () => {
    expect(exe, "headless Chromium is needed: apt-get install -y chromium (or set CHROMIUM=/path)").toBeDefined();
  });

  it("power: the check sees a broken picture and an SVG with nothing drawn", async () => {
    browser ??= await chromium.launch({ executablePath: exe!, args: ["--no-sandbox", "--disable-gpu"] });
    const page = await browser.newPage();
    await page.setContent(`<figure id="a"><img src="data:image/png;base64,iVBORw0KGgoAAAA"></figure>` +
      `<figure id="b"><svg width="200" height="100"><g class="mark-line role-mark"><path d=""></path></g><text>x</text></svg></figure>`);
    const [a, b] = await inspect(page);
    expect(a.imgOk).toBe(false);
    expect(b.drawn).toBe(0);
    await page.close();
  });

  it("npm start's study writes a report whose every figure renders", async () => {
    const r = spawnSync(process.execPath, [join(root, "bin", "thermosim.js"), "study", join(root, "examples", "study", "quick.yaml"), "--out", join(dir, "study")], { encoding: "utf8", cwd: root, timeout: 600_000 });
    expect(r.status, r.stderr).toBe(0);
    const index = join(dir, "study", "report", "index.html");
    expect(r.stdout).toContain(index);
    browser = await chromium.launch({ executablePath: exe!, args: ["--no-sandbox", "--disable-gpu"] });
    const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("request", (q) => requests.push(q.url()));
    await page.goto(pathToFileURL(index).href, { waitUntil: "load" });
    const figures = await inspect(page);
    // Every part's charts and pictures are there.
    const ids = figures.map((f) => f.id);
    for (const part of ["rbm", "gaussian", "grid"]) for (const fig of ["quality-vs-energy", "energy-to-solution", "energy-by-action"]) expect(ids).toContain(`${part}-${fig}`);
    expect(ids).toContain("rbm-pcomputer-dbm-2024-samples"); // RBM samples as images
    expect(ids).toContain("grid-dtm-2025-spins"); // spins on the chip's grid
    expect(figures.length).toBeGreaterThanOrEqual(20);
    for (const f of figures) {
      expect(f.kind, f.id).not.toBe("none");
      expect(f.width, f.id).toBeGreaterThan(50);
      expect(f.height, f.id).toBeGreaterThan(20);
      if (f.kind === "svg") {
        expect(f.drawn, `${f.id}: drawn marks`).toBeGreaterThan(0);
        expect(f.texts, `${f.id}: axis text`).toBeGreaterThan(2);
        for (const href of f.links) expect(existsSync(join(dir, "study", "report", href!)), `${f.id}: ${href}`).toBe(true);
      } else {
        expect(f.imgOk, `${f.id}: the picture decoded`).toBe(true);
      }
    }
    expect(errors).toEqual([]);
    // Self-contained: the page loads nothing but itself.
    expect(requests.filter((u) => u !== pathToFileURL(index).href && !u.startsWith("data:"))).toEqual([]);
    const shots = join(dir, "study", "report", "screenshots");
    mkdirSync(shots);
    const height = await page.evaluate(() => document.body.scrollHeight);
    for (let y = 0, k = 0; y < height && k < 30; y += 1000, k++) {
      await page.evaluate((to) => window.scrollTo(0, to), y);
      await page.screenshot({ path: join(shots, `page-${String(k).padStart(2, "0")}.png`) });
    }
  }, 900_000);
});
