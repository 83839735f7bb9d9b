// The benchmark's samples, the same in every process: `n` rows of 784 floats in [0, 1) and labels 0-9
// from one linear congruential sequence.
export function benchSamples(n) {
  let s = 1;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = next();
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.floor(next() * 10);
  return { x, y };
}
