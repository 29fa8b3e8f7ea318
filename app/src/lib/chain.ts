// Talking to the cluster about this program: the endpoint's facts, the Task account in full,
// program accounts by kind, transactions signed by the wallet and sent with preflight, program
// errors by name (the endpoint and batched reads are rpc.ts's, re-exported).
import {
  address,
  isSolanaError,
  SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM,
  getBase58Decoder,
  getBase64EncodedWireTransaction,
  getTransactionDecoder,
  getTransactionEncoder,
  appendTransactionMessageInstructions,
  compileTransaction,
  createTransactionMessage,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type Address,
  type Instruction,
} from "@solana/kit";
import { errors as programErrors } from "../../../idl/proof_of_brain.json";
import { decodeBase64, type Chain, type Config, type RawAccount } from "./rpc";

export { connect, MAX_ACCOUNTS_PER_READ, readAccounts, type Chain, type Config, type RawAccount } from "./rpc";
import {
  TASK_DISCRIMINATOR,
  SUBMISSION_DISCRIMINATOR,
  DISPUTE_DISCRIMINATOR,
  MEMBER_DISCRIMINATOR,
  getTaskDecoder,
  getTaskSize,
  type Task,
  PROOF_OF_BRAIN_PROGRAM_ADDRESS,
} from "../client";
import type { AppWallet } from "./wallet";


const TOKEN_PROGRAM = address("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");

/** The endpoint is the page's own server (`pob serve`) unless `?rpc=URL` names another. */
export async function loadConfig(): Promise<Config> {
  const params = new URLSearchParams(location.search);
  const rpcUrl = params.get("rpc") ?? location.origin;
  try {
    const response = await fetch(`${rpcUrl}/pob/config.json`);
    if (!response.ok) throw new Error(String(response.status));
    const served = (await response.json()) as Record<string, unknown>;
    return {
      cluster: String(served.cluster),
      rpcUrl,
      programId: address(String(served.programId)),
      mint: served.testMint ? address(String(served.testMint)) : null,
      decimals: Number(served.testMintDecimals),
      tokenProgram: address(String(served.tokenProgram)),
      faucet: served.faucet === true,
    };
  } catch {
    // A public RPC node: the deployed program and the mint come from the URL (`?mint=`).
    const mint = params.get("mint");
    return {
      cluster: rpcUrl,
      rpcUrl,
      programId: address(params.get("program") ?? PROOF_OF_BRAIN_PROGRAM_ADDRESS),
      mint: mint ? address(mint) : null,
      decimals: Number(params.get("decimals") ?? "6"),
      tokenProgram: TOKEN_PROGRAM,
      faucet: false,
    };
  }
}

/** Program accounts of one kind (its discriminator), with `(offset, address)` filters. */
export async function programAccounts(
  chain: Chain,
  discriminator: Uint8Array,
  filters: [number, Address][] = [],
): Promise<RawAccount[]> {
  const base58 = getBase58Decoder();
  const memcmp = [
    { memcmp: { offset: 0n, bytes: base58.decode(discriminator), encoding: "base58" as const } },
    ...filters.map(([offset, value]) => ({
      memcmp: { offset: BigInt(offset), bytes: value as string, encoding: "base58" as const },
    })),
  ];
  const found = await chain.rpc
    .getProgramAccounts(chain.config.programId, { encoding: "base64", filters: memcmp as never })
    .send();
  return (found as unknown as { pubkey: Address; account: { data: [string, string]; lamports: bigint; owner: Address } }[]).map(
    ({ pubkey, account }) => ({
      address: pubkey,
      data: decodeBase64(account.data[0]),
      lamports: BigInt(account.lamports),
      owner: account.owner,
    }),
  );
}

export const KIND = {
  task: TASK_DISCRIMINATOR,
  submission: SUBMISSION_DISCRIMINATOR,
  dispute: DISPUTE_DISCRIMINATOR,
  member: MEMBER_DISCRIMINATOR,
};

export type TallyEntry = { answerHash: Uint8Array; count: number };
/** A Task account whole: the header (generated decoder), then the tally and the spec URI,
 *  as `TaskView` in programs/proof-of-brain/src/state/task.rs lays them out. */
export type FullTask = Task & { address: Address; tally: TallyEntry[]; specUri: string };

const TALLY_ENTRY_BYTES = 33;

export function decodeTask(account: RawAccount): FullTask {
  const header = getTaskDecoder().decode(account.data);
  const tallyStart = getTaskSize();
  const tally: TallyEntry[] = [];
  for (let i = 0; i < header.tallyLen; i++) {
    const at = tallyStart + i * TALLY_ENTRY_BYTES;
    tally.push({ answerHash: account.data.slice(at, at + 32), count: account.data[at + 32] ?? 0 });
  }
  const uriStart = tallyStart + header.answersRequired * TALLY_ENTRY_BYTES;
  const specUri = new TextDecoder().decode(account.data.slice(uriStart, uriStart + header.specUriLen));
  return { ...header, address: account.address, tally, specUri };
}

export const TASK_REQUESTER_OFFSET = 8;
export const SUBMISSION_TASK_OFFSET = 8;
export const SUBMISSION_WORKER_OFFSET = 40;

/** A failed transaction, said the way a person can act on it. */
export class TransactionFailed extends Error {
  constructor(
    message: string,
    readonly logs: string[] = [],
    readonly errorName: string | null = null,
  ) {
    super(message);
  }
}

const ANCHOR_ERRORS: Record<number, [string, string]> = {
  2000: ["ConstraintMut", "A mut constraint was violated"],
  2001: ["ConstraintHasOne", "A has one constraint was violated"],
  2003: ["ConstraintRaw", "A raw constraint was violated"],
  2006: ["ConstraintSeeds", "A seeds constraint was violated"],
  2012: ["ConstraintAddress", "An address constraint was violated"],
  3007: ["AccountOwnedByWrongProgram", "The given account is owned by a different program than expected"],
  3010: ["AccountNotSigner", "The given account did not sign"],
  3012: ["AccountNotInitialized", "The program expected this account to be already initialized"],
};

/** `Name: message` of a custom program error code of this program (or Anchor's). */
export function programErrorText(code: number): string {
  const own = programErrors.find((error) => error.code === code);
  if (own) return `${own.name}: ${own.msg}`;
  const anchor = ANCHOR_ERRORS[code];
  return anchor ? `${anchor[0]}: ${anchor[1]}` : `custom program error ${code} (0x${code.toString(16)})`;
}

/** Explains a transaction error as RPC nodes report it (`{InstructionError: [i, {Custom: n}]}`). */
export function explainTransactionError(err: unknown, logs: string[]): TransactionFailed {
  const instructionError = (err as { InstructionError?: [number, unknown] } | null)?.InstructionError;
  if (instructionError) {
    const [index, detail] = instructionError;
    const custom = (detail as { Custom?: number | bigint } | null)?.Custom;
    if (custom !== undefined) {
      const text = programErrorText(Number(custom));
      const fromToken = logs.some((line) => line.includes("Program TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA failed"));
      return new TransactionFailed(
        fromToken ? `instruction ${index} failed in the token program: error ${custom}` : `instruction ${index} failed: ${text}`,
        logs,
        text.split(":")[0] ?? null,
      );
    }
    return new TransactionFailed(`instruction ${index} failed: ${JSON.stringify(detail)}`, logs);
  }
  return new TransactionFailed(`the transaction failed: ${JSON.stringify(err, (_, v) => (typeof v === "bigint" ? Number(v) : v))}`, logs);
}

/** Signs `instructions` with the wallet (fee payer) and sends them with preflight; returns the
 *  signature once the node confirms it, or throws a TransactionFailed saying why. */
export async function sendInstructions(chain: Chain, wallet: AppWallet, instructions: Instruction[]): Promise<string> {
  const { value: blockhash } = await chain.rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
  const message = pipe(
    createTransactionMessage({ version: "legacy" }),
    (m) => setTransactionMessageFeePayer(wallet.address, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  const unsigned = new Uint8Array(getTransactionEncoder().encode(compileTransaction(message)));
  const signedBytes = await wallet.signTransaction(unsigned);
  const signed = getTransactionDecoder().decode(signedBytes);
  const wire = getBase64EncodedWireTransaction(signed);
  let signature: string;
  try {
    signature = await chain.rpc.sendTransaction(wire, { encoding: "base64", preflightCommitment: "confirmed" }).send();
  } catch (error) {
    throw explainSendError(error);
  }
  for (let attempt = 0; attempt < 60; attempt++) {
    const { value } = await chain.rpc.getSignatureStatuses([signature as never]).send();
    const status = value[0];
    if (status && status.confirmationStatus !== "processed") {
      if (status.err) throw explainTransactionError(status.err, []);
      return signature;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new TransactionFailed(`sent ${signature}, but it was not confirmed within 30 seconds`);
}

/** A refused send explained: kit turns a preflight failure into a SolanaError whose context
 *  holds the simulation's logs and whose cause is the instruction's error (code and index). */
export function explainSendError(error: unknown): TransactionFailed {
  let logs: string[] = [];
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const context = (current as { context?: Record<string, unknown> }).context ?? {};
    if (Array.isArray(context.logs)) logs = context.logs as string[];
    if (isSolanaError(current, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM)) {
      return explainTransactionError({ InstructionError: [current.context.index, { Custom: current.context.code }] }, logs);
    }
  }
  const failed = logs.find((line) => / failed: /.test(line));
  if (failed) return new TransactionFailed(`the transaction failed: ${failed}`, logs);
  return new TransactionFailed(`the node refused the transaction: ${(error as Error).message}`, logs);
}

