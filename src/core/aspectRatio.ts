// The supported aspect ratio an image already has, so an edit keeps its shape. A shape none of them
// matches gets none: the request then leaves aspectRatio out and the model follows the input.

/** The ratio among `ratios` ("16:9") within `tolerance` (relative) of width/height, or undefined. */
export function matchingAspectRatio<R extends string>(width: number, height: number, ratios: readonly R[], tolerance = 0.03): R | undefined {
  if (!(width > 0 && height > 0)) return undefined;
  const actual = width / height;
  let best: { ratio: R; error: number } | undefined;
  for (const ratio of ratios) {
    const [w, h] = ratio.split(':').map(Number);
    if (!(w > 0 && h > 0)) continue;
    const error = Math.abs(actual / (w / h) - 1);
    if (error <= tolerance && (!best || error < best.error)) best = { ratio, error };
  }
  return best?.ratio;
}
