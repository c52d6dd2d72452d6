/**
 * A grid of grey-level images (e.g. RBM samples, 28 x 28 digits) as a PNG,
 * encoded by pngjs: white background, black ink for 1, 2-pixel gutters.
 */
import pngjs from "pngjs";

export function imageGridPng(images: Float64Array, count: number, width: number, height: number, columns: number, scale = 2): Uint8Array {
  const rows = Math.ceil(count / columns);
  const gap = 2;
  const W = (columns * (width + gap) + gap) * scale;
  const H = (rows * (height + gap) + gap) * scale;
  const png = new pngjs.PNG({ width: W, height: H, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  const data = Buffer.alloc(W * H, 255);
  for (let k = 0; k < count; k++) {
    const x0 = gap + (k % columns) * (width + gap);
    const y0 = gap + Math.floor(k / columns) * (height + gap);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const grey = Math.round(255 * (1 - Math.min(1, Math.max(0, images[k * width * height + y * width + x]))));
        for (let dy = 0; dy < scale; dy++) data.fill(grey, ((y0 + y) * scale + dy) * W + (x0 + x) * scale, ((y0 + y) * scale + dy) * W + (x0 + x + 1) * scale);
      }
    }
  }
  png.data = data;
  return pngjs.PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}
