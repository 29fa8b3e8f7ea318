// The endpoint and batched account reads: the part of talking to the cluster that needs no
// program knowledge (so Node tests can import it; chain.ts re-exports it).
import { createSolanaRpc, getBase64Encoder, type Address, type Rpc, type SolanaRpcApi } from "@solana/kit";

export type Config = {
  cluster: string;
  rpcUrl: string;
  programId: Address;
  mint: Address | null;
  decimals: number;
  tokenProgram: Address;
  faucet: boolean;
};

export type Chain = { config: Config; rpc: Rpc<SolanaRpcApi> };

export const connect = (config: Config): Chain => ({ config, rpc: createSolanaRpc(config.rpcUrl) });

export type RawAccount = { address: Address; data: Uint8Array; lamports: bigint; owner: Address };

export const decodeBase64 = (text: string): Uint8Array => new Uint8Array(getBase64Encoder().encode(text));

/** The most accounts one `getMultipleAccounts` may name (RPC nodes refuse more). */
export const MAX_ACCOUNTS_PER_READ = 100;

/** Many accounts, in the order asked (null: absent): one `getMultipleAccounts` per 100. */
export async function readAccounts(chain: Chain, addresses: Address[]): Promise<(RawAccount | null)[]> {
  if (addresses.length === 0) return [];
  const chunks: Address[][] = [];
  for (let i = 0; i < addresses.length; i += MAX_ACCOUNTS_PER_READ) chunks.push(addresses.slice(i, i + MAX_ACCOUNTS_PER_READ));
  const read = await Promise.all(
    chunks.map((chunk) => chain.rpc.getMultipleAccounts(chunk, { encoding: "base64", commitment: "confirmed" }).send()),
  );
  const value = read.flatMap((reply) => reply.value);
  return value.map((account, i) =>
    account === null
      ? null
      : {
          address: addresses[i] as Address,
          data: decodeBase64(account.data[0]),
          lamports: BigInt(account.lamports),
          owner: account.owner,
        },
  );
}
