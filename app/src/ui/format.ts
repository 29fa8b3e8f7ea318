// How the app shows addresses, times and amounts.
import { formatAmount } from "../lib/amount";

export const short = (value: string): string => `${value.slice(0, 4)}…${value.slice(-4)}`;

/** The ledger's clock runs ahead of this device's when the embedded ledger was moved forward
 *  (or a device's clock is off): the app reads the Clock sysvar and keeps the difference. */
let clockOffsetSecs = 0n;
const wallSecs = (): bigint => BigInt(Math.floor(Date.now() / 1000));
export const setLedgerNow = (ledgerSecs: bigint) => {
  clockOffsetSecs = ledgerSecs - wallSecs();
};
/** Now on the ledger's clock (what deadlines are measured against). */
export const nowSecs = (): bigint => wallSecs() + clockOffsetSecs;

export function relative(unixSecs: bigint): string {
  const delta = Number(unixSecs - nowSecs());
  const size = Math.abs(delta);
  const text =
    size < 90 ? `${size}s` : size < 5400 ? `${Math.round(size / 60)} min` : size < 129_600 ? `${Math.round(size / 3600)} h` : `${Math.round(size / 86_400)} d`;
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

export function when(unixSecs: bigint): string {
  return `${new Date(Number(unixSecs) * 1000).toLocaleString()} (${relative(unixSecs)})`;
}

export const money = (units: bigint, decimals: number, symbol = "USDC"): string => `${formatAmount(units, decimals)} ${symbol}`;
