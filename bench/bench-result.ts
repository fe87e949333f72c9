// One measured figure of a bench suite; `npm run bench` prints these.
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The target, as text (e.g. ">= 5,000"); measured and printed, never asserted. */
  goal?: string;
}
