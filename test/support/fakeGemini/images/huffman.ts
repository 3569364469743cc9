// Length-limited Huffman codes for the image encoders (JPEG tables, WebP lossless prefix codes).

/**
 * Code lengths of a Huffman code over `freqs`, none longer than `maxLength`; unused symbols get 0.
 * A lone used symbol gets length 1 (the caller decides how its format spells a one-symbol code).
 */
export function huffmanLengths(freqs: ArrayLike<number>, maxLength: number): Uint8Array {
  const n = freqs.length;
  const lengths = new Uint8Array(n);
  let weights = Array.from(freqs, (f) => (f > 0 ? f : 0));
  for (;;) {
    const used: number[] = [];
    for (let i = 0; i < n; i++) if (weights[i] > 0) used.push(i);
    if (used.length === 0) return lengths;
    if (used.length === 1) {
      lengths[used[0]] = 1;
      return lengths;
    }
    used.sort((a, b) => weights[a] - weights[b] || a - b);
    const depths = treeDepths(used.map((s) => weights[s]));
    if (Math.max(...depths) <= maxLength) {
      used.forEach((s, i) => (lengths[s] = depths[i]));
      return lengths;
    }
    // Flatten the distribution and try again: converges to a balanced tree.
    weights = weights.map((w) => (w > 0 ? (w + 1) >> 1 : 0));
  }
}

/** Leaf depths of the Huffman tree over ascending `sorted` weights (two-queue construction). */
function treeDepths(sorted: number[]): number[] {
  const leaves = sorted.length;
  const total = 2 * leaves - 1;
  const weight = new Float64Array(total);
  const parent = new Int32Array(total);
  weight.set(sorted);
  let leaf = 0;
  let inner = leaves;
  const take = (next: number): number => {
    if (leaf < leaves && (inner >= next || weight[leaf] <= weight[inner])) return leaf++;
    return inner++;
  };
  for (let next = leaves; next < total; next++) {
    const a = take(next);
    const b = take(next);
    weight[next] = weight[a] + weight[b];
    parent[a] = next;
    parent[b] = next;
  }
  const depth = new Int32Array(total);
  for (let i = total - 2; i >= 0; i--) depth[i] = depth[parent[i]] + 1;
  return Array.from(depth.subarray(0, leaves));
}

/** Canonical codes (most significant bit first) for `lengths`, as in DEFLATE and JPEG. */
export function canonicalCodes(lengths: ArrayLike<number>): Uint32Array {
  const maxLength = Math.max(0, ...Array.from(lengths));
  const count = new Uint32Array(maxLength + 1);
  for (let i = 0; i < lengths.length; i++) if (lengths[i]) count[lengths[i]]++;
  const next = new Uint32Array(maxLength + 2);
  let code = 0;
  for (let len = 1; len <= maxLength; len++) {
    code = (code + count[len - 1]) << 1;
    next[len] = code;
  }
  const codes = new Uint32Array(lengths.length);
  for (let i = 0; i < lengths.length; i++) if (lengths[i]) codes[i] = next[lengths[i]]++;
  return codes;
}

export function reverseBits(code: number, length: number): number {
  let out = 0;
  for (let i = 0; i < length; i++) {
    out = (out << 1) | (code & 1);
    code >>>= 1;
  }
  return out;
}
