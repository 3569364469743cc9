// The placeholder picture: a soft sky gradient, a sun and two hills, tinted by a seed so that
// consecutive images differ. Pure arithmetic, about 10 ms per megapixel.

export interface Design {
  /** Picks the palette and the hills' phase. */
  seed: number;
  /** A washed-out variant for draft ("thought") images. */
  draft?: boolean;
}

type Rgb = [number, number, number];

function hsl(hueDeg: number, s: number, l: number): Rgb {
  const h = (((hueDeg % 360) + 360) % 360) / 360;
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t: number): number => {
    t = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    if (t < 1 / 6) return p + (q - p) * 6 * t;
    if (t < 1 / 2) return q;
    if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6;
    return p;
  };
  return [channel(h + 1 / 3) * 255, channel(h) * 255, channel(h - 1 / 3) * 255];
}

function palette(design: Design): { skyTop: Rgb; skyBottom: Rgb; sun: Rgb; far: Rgb; near: Rgb } {
  const hue = (design.seed * 137.508) % 360;
  const sat = design.draft ? 0.12 : 1;
  return {
    skyTop: hsl(hue + 200, 0.55 * sat, 0.78),
    skyBottom: hsl(hue + 250, 0.6 * sat, 0.9),
    sun: hsl(30 + ((design.seed * 23) % 35), 0.95 * sat, 0.8),
    far: hsl(hue + 180, 0.28 * sat, 0.52),
    near: hsl(hue + 150, 0.32 * sat, 0.34),
  };
}

/** Renders `width` x `height` RGB pixels (row-major, 3 bytes each). */
export function renderRgb(width: number, height: number, design: Design): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  const { skyTop, skyBottom, sun, far, near } = palette(design);
  const phase = (design.seed % 17) * 0.37;
  const unit = Math.min(width, height);
  const sunX = width * 0.68;
  const sunY = height * 0.36;
  const sunR = unit * 0.15;
  const farLine = new Float64Array(width);
  const nearLine = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const u = x / width;
    farLine[x] = height * (0.66 + 0.05 * Math.sin(6.283 * (u * 1.1 + phase)) + 0.02 * Math.sin(6.283 * (u * 3.7 + phase * 2)));
    nearLine[x] = height * (0.8 + 0.04 * Math.sin(6.283 * (u * 0.8 + phase * 3 + 0.4)));
  }
  let o = 0;
  for (let y = 0; y < height; y++) {
    const v = y / height;
    for (let x = 0; x < width; x++, o += 3) {
      const t = Math.min(1, 0.8 * v + 0.2 * (x / width));
      let r = skyTop[0] + (skyBottom[0] - skyTop[0]) * t;
      let g = skyTop[1] + (skyBottom[1] - skyTop[1]) * t;
      let b = skyTop[2] + (skyBottom[2] - skyTop[2]) * t;
      const dx = x - sunX;
      const dy = y - sunY;
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d < sunR * 1.6) {
        // A crisp disc plus a faint halo.
        const disc = Math.max(0, Math.min(1, sunR - d + 0.5));
        const halo = d > sunR ? 0.25 * (1 - (d - sunR) / (sunR * 0.6)) : 0;
        const a = Math.max(disc, halo);
        r += (sun[0] - r) * a;
        g += (sun[1] - g) * a;
        b += (sun[2] - b) * a;
      }
      const farA = Math.max(0, Math.min(1, y - farLine[x] + 0.5));
      if (farA > 0) {
        const shade = 1 - 0.25 * Math.min(1, (y - farLine[x]) / (height * 0.3));
        r += (far[0] * shade - r) * farA;
        g += (far[1] * shade - g) * farA;
        b += (far[2] * shade - b) * farA;
      }
      const nearA = Math.max(0, Math.min(1, y - nearLine[x] + 0.5));
      if (nearA > 0) {
        r += (near[0] - r) * nearA;
        g += (near[1] - g) * nearA;
        b += (near[2] - b) * nearA;
      }
      out[o] = r;
      out[o + 1] = g;
      out[o + 2] = b;
    }
  }
  return out;
}

/**
 * Renders at 1/`factor` of the size and repeats each pixel `factor` times both ways: big images
 * (2K, 4K) cost what a 1K one does, and the file still has the full size.
 */
export function renderScaled(width: number, height: number, factor: number, design: Design): Uint8Array {
  if (factor <= 1) return renderRgb(width, height, design);
  const sw = Math.ceil(width / factor);
  const sh = Math.ceil(height / factor);
  const small = renderRgb(sw, sh, design);
  const out = new Uint8Array(width * height * 3);
  const stride = width * 3;
  for (let y = 0; y < height; y++) {
    const sy = Math.floor(y / factor);
    if (y % factor !== 0) {
      out.copyWithin(y * stride, (y - 1) * stride, y * stride);
      continue;
    }
    let o = y * stride;
    const rowStart = sy * sw * 3;
    for (let x = 0; x < width; x++, o += 3) {
      const s = rowStart + Math.floor(x / factor) * 3;
      out[o] = small[s];
      out[o + 1] = small[s + 1];
      out[o + 2] = small[s + 2];
    }
  }
  return out;
}
