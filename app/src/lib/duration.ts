// Durations as the CLI writes them: 90s, 30m, 1h, 2d (cli/src/duration.rs).
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

export function parseDuration(input: string): number {
  const match = /^([0-9]{1,9})\s*([smhd])$/.exec(input.trim());
  if (!match) throw new Error(`expected a duration like 90s, 30m, 1h or 2d, got ${JSON.stringify(input)}`);
  return Number(match[1]) * (UNITS[match[2] as string] as number);
}

export function formatDuration(seconds: number): string {
  for (const [unit, size] of [["d", 86_400], ["h", 3600], ["m", 60]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
