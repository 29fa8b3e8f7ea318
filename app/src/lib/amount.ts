// Token amounts as decimal strings <-> base units (bigint), exactly: the same rules as the CLI's
// `cli/src/amount.rs` (no signs, no exponents, no more decimals than the mint has, u64 range).

export const U64_MAX = (1n << 64n) - 1n;

/** Parses "1.5" with 6 decimals into 1_500_000n, or throws an Error saying what is wrong. */
export function parseAmount(input: string, decimals: number): bigint {
  const text = input.trim();
  if (text === "") throw new Error("expected an amount like 0.05, got nothing");
  const dot = text.indexOf(".");
  const whole = dot < 0 ? text : text.slice(0, dot);
  const fraction = dot < 0 ? "" : text.slice(dot + 1);
  const digitsOnly = (s: string) => /^[0-9]*$/.test(s);
  if ((whole === "" && fraction === "") || !digitsOnly(whole) || !digitsOnly(fraction)) {
    throw new Error(`expected an amount like 0.05, got ${JSON.stringify(text)}`);
  }
  if (fraction.length > decimals) throw new Error(`this token has ${decimals} decimals; the amount has more`);
  const scale = 10n ** BigInt(decimals);
  const wholeUnits = whole === "" ? 0n : BigInt(whole) * scale;
  const fractionUnits = fraction === "" ? 0n : BigInt(fraction) * 10n ** BigInt(decimals - fraction.length);
  const total = wholeUnits + fractionUnits;
  if (total > U64_MAX) throw new Error("amount too large for a 64-bit token balance");
  return total;
}

/** Base units with all of the mint's decimals: 1_500_000n with 6 -> "1.500000". */
export function formatAmount(units: bigint, decimals: number): string {
  if (units < 0n) return `-${formatAmount(-units, decimals)}`;
  if (decimals === 0) return units.toString();
  const scale = 10n ** BigInt(decimals);
  return `${units / scale}.${(units % scale).toString().padStart(decimals, "0")}`;
}

/** What a task escrows: rewards for every answer plus the protocol fee on them, rounded up
 *  (the program's `logic::settlement::task_deposit`). */
export function taskDeposit(rewardPerAnswer: bigint, answers: bigint, feeBps: bigint): bigint {
  const rewards = rewardPerAnswer * answers;
  const fee = (rewards * feeBps + 9_999n) / 10_000n;
  return rewards + fee;
}

/** A share in basis points from "50%" or "12.5" (percent), exactly. */
export function parseShareBps(input: string): number {
  const text = input.trim().replace(/%$/, "");
  if (!/^[0-9]+(\.[0-9]{0,2})?$/.test(text)) throw new Error(`expected a share like 50% or 12.5, got ${JSON.stringify(input)}`);
  const bps = parseAmount(text, 2);
  if (bps > 10_000n) throw new Error("at most 100%");
  return Number(bps);
}
