/**
 * Progress of a long loop, at most one line every `everyMs` plus the last one: enough to see that a
 * slow section is moving without flooding the console.
 */
export function throttledProgress(
  report: (message: string) => void,
  label: string,
  total: number,
  everyMs = 2000,
): (done: number) => void {
  const started = performance.now();
  let lastAt = started;
  return (done) => {
    const now = performance.now();
    if (done < total && now - lastAt < everyMs) return;
    lastAt = now;
    report(`${label}: ${done}/${total} (${((now - started) / 1000).toFixed(1)} s)`);
  };
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
