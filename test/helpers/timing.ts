/** The most of the given instants (ms) that fall within any window of `ms` milliseconds. */
export function peakWithin(instants: number[], ms: number): number {
  const times = [...instants].sort((a, b) => a - b);
  let peak = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while (times[last]! - times[first]! >= ms) first += 1;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}
