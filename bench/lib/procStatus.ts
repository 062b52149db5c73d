import { readFileSync } from 'node:fs';

/** Resident memory of a process from /proc/<pid>/status (Linux): current and peak (high-water mark). */
export function readMemory(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `intervalMs`; `stop()` returns the samples and the kernel's peak. */
export function sampleMemory(pid: number, intervalMs = 100) {
  const samples: { t: number; rssMb: number }[] = [];
  const t0 = performance.now();
  let peakHwm = 0;
  const tick = () => {
    const m = readMemory(pid);
    if (!m) return;
    samples.push({ t: Math.round(performance.now() - t0), rssMb: m.rssMb });
    peakHwm = Math.max(peakHwm, m.hwmMb);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      tick();
      clearInterval(timer);
      return { samples, peakHwmMb: peakHwm, maxSampledRssMb: Math.max(0, ...samples.map((s) => s.rssMb)) };
    },
  };
}
