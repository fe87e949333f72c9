// OTLP times are unsigned 64-bit nanoseconds since the epoch, carried as decimal strings so no
// precision is lost; the model also keeps fractional epoch milliseconds for arithmetic.

export function nanosToMillis(nanos: string): number {
  if (!/^\d+$/.test(nanos)) return 0;
  // Split to keep sub-millisecond precision without going through a lossy 19-digit double.
  const ms = nanos.length > 6 ? Number(nanos.slice(0, -6)) : 0;
  const frac = Number(nanos.slice(-6).padStart(6, '0')) / 1e6;
  return ms + frac;
}

export function millisToNanos(ms: number): string {
  const whole = Math.floor(ms);
  const frac = Math.round((ms - whole) * 1e6);
  return (BigInt(whole) * 1_000_000n + BigInt(frac)).toString();
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
