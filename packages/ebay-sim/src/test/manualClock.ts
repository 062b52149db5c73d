/** A clock tests can move forward. */
export function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    advanceSeconds: (s: number) => {
      now += s * 1000;
    },
  };
}
