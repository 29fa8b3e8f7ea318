// What each button sends: the instructions of one user action, built with the generated client
// (src/client) on addresses from addresses.ts. The wallet signs the whole transaction later, so
// signer accounts are "noop" signers here (the account is marked as signing, nothing more).
import { createNoopSigner, type Address, type Instruction } from "@solana/kit";
import { getCreateAccountWithSeedInstruction } from "@solana-program/system";
import { getCreateAssociatedTokenIdempotentInstruction } from "@solana-program/token";
import {
  getBalanceDecoder,
  getCancelTaskInstruction,
  getCastVoteInstruction,
  getClaimInstruction,
  getCloseTaskInstruction,
  getCommitAnswerInstruction,
  getCreateTaskInstruction,
  getDepositInstruction,
  getFinalizeTaskInstruction,
  getOpenBalanceInstruction,
  getOpenDisputeInstruction,
  getRegisterWorkerInstruction,
  getRequesterSize,
  getResolveDisputeInstruction,
  getRevealAnswerInstruction,
  getRevealGoldInstruction,
  getVoteSize,
  getWithdrawInstruction,
  getWorkerSize,
  type Balance,
  type CreateTaskInstructionDataArgs,
} from "../client";
import { Addresses, associatedTokenAccount, REQUESTER_RECORD_SEED, voteSeed, WORKER_RECORD_SEED } from "./addresses";
import { readAccounts, type Chain, type FullTask } from "./chain";
import { formatAmount } from "./amount";
import { sha256 } from "./bytes";
import { ANSWER_MEMO_PREFIX, DISPUTE_MEMO_PREFIX } from "./memos";

export type Ctx = { chain: Chain; wallet: Address; mint: Address; at: Addresses };

const signer = (wallet: Address) => createNoopSigner(wallet);

/** The memo program (v3): a text or number answer's reveal publishes it, as the CLI does, and a
 *  dispute opened here publishes its reason (`pob-dispute-v1 TASK REASON`); lib/memos.ts reads
 *  them back. */
export const MEMO_PROGRAM = "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr" as Address;
const memo = (text: string): Instruction => ({ programAddress: MEMO_PROGRAM, data: new TextEncoder().encode(text) });

async function rent(ctx: Ctx, space: number): Promise<bigint> {
  return BigInt(await ctx.chain.rpc.getMinimumBalanceForRentExemption(BigInt(space)).send());
}

/** The wallet's own account at `create_with_seed(wallet, seed, program)`, created if absent. */
async function createOwnAccount(ctx: Ctx, account: Address, seed: string, space: number): Promise<Instruction> {
  return getCreateAccountWithSeedInstruction({
    payer: signer(ctx.wallet),
    newAccount: account,
    base: ctx.wallet,
    seed,
    amount: await rent(ctx, space),
    space: BigInt(space),
    programAddress: ctx.chain.config.programId,
  });
}

export type WalletState = {
  balance: Balance | null;
  balanceAddress: Address;
  workerRecordExists: boolean;
  requesterRecordExists: boolean;
  tokenAccount: Address;
  tokenUnits: bigint;
};

/** The wallet's balance, records and token account in one call. */
export async function walletState(ctx: Ctx): Promise<WalletState> {
  const balanceAddress = await ctx.at.balance(ctx.wallet, ctx.mint);
  const tokenAccount = await associatedTokenAccount(ctx.wallet, ctx.mint, ctx.chain.config.tokenProgram);
  const [balance, worker, requester, token] = await readAccounts(ctx.chain, [
    balanceAddress,
    await ctx.at.worker(ctx.wallet),
    await ctx.at.requester(ctx.wallet),
    tokenAccount,
  ]);
  const tokenUnits = token ? new DataView(token.data.buffer, token.data.byteOffset).getBigUint64(64, true) : 0n;
  return {
    balance: balance ? getBalanceDecoder().decode(balance.data) : null,
    balanceAddress,
    workerRecordExists: worker !== null,
    requesterRecordExists: requester !== null,
    tokenAccount,
    tokenUnits,
  };
}

/** Opens the balance if needed and deposits what the free balance lacks for `needed`. */
async function fund(ctx: Ctx, state: WalletState, needed: bigint): Promise<Instruction[]> {
  const ixs: Instruction[] = [];
  const mintConfig = await ctx.at.mintConfig(ctx.mint);
  if (!state.balance) {
    ixs.push(getOpenBalanceInstruction({ owner: signer(ctx.wallet), mintConfig, balance: state.balanceAddress }));
  }
  const shortfall = needed - (state.balance?.free ?? 0n);
  if (shortfall > 0n) {
    if (shortfall > state.tokenUnits) {
      const amount = (units: bigint) => formatAmount(units, ctx.chain.config.decimals);
      throw new Error(
        `this needs ${amount(needed)}: your balance has ${amount(state.balance?.free ?? 0n)} free and your wallet ${amount(state.tokenUnits)}`,
      );
    }
    ixs.push(
      getDepositInstruction({
        owner: signer(ctx.wallet),
        mintConfig,
        balance: state.balanceAddress,
        mint: ctx.mint,
        from: state.tokenAccount,
        vault: await ctx.at.vault(ctx.mint),
        tokenProgram: ctx.chain.config.tokenProgram,
        amount: shortfall,
      }),
    );
  }
  return ixs;
}

export type NewTask = Omit<CreateTaskInstructionDataArgs, "discriminator">;

/** create_task, funded from the balance (topped up from the wallet's token account). */
/** `first`: this transaction also creates the requester record and opens the balance if they
 *  are missing, and deposits what the free balance lacks for `deposit` (a batch's total). */
export async function createTaskIxs(
  ctx: Ctx,
  state: WalletState,
  task: NewTask,
  deposit: bigint,
  first: boolean,
): Promise<Instruction[]> {
  const ixs: Instruction[] = [];
  const requesterRecord = await ctx.at.requester(ctx.wallet);
  if (first && !state.requesterRecordExists) {
    ixs.push(await createOwnAccount(ctx, requesterRecord, REQUESTER_RECORD_SEED, getRequesterSize()));
  }
  if (first) ixs.push(...(await fund(ctx, state, deposit)));
  ixs.push(
    getCreateTaskInstruction({
      requester: signer(ctx.wallet),
      protocol: await ctx.at.protocol(),
      mintConfig: await ctx.at.mintConfig(ctx.mint),
      balance: state.balanceAddress,
      requesterRecord,
      task: await ctx.at.task(ctx.wallet, BigInt(task.taskId)),
      ...task,
    }),
  );
  return ixs;
}

export async function commitIxs(ctx: Ctx, state: WalletState, task: FullTask, commitment: Uint8Array): Promise<Instruction[]> {
  const ixs: Instruction[] = [];
  const workerRecord = await ctx.at.worker(ctx.wallet);
  if (!state.workerRecordExists) {
    ixs.push(await createOwnAccount(ctx, workerRecord, WORKER_RECORD_SEED, getWorkerSize()));
    ixs.push(getRegisterWorkerInstruction({ worker: signer(ctx.wallet), workerRecord }));
  }
  ixs.push(...(await fund(ctx, state, task.stakePerAnswer)));
  ixs.push(
    getCommitAnswerInstruction({
      worker: signer(ctx.wallet),
      workerRecord,
      task: task.address,
      balance: state.balanceAddress,
      submission: await ctx.at.submission(task.address, ctx.wallet),
      commitment,
    }),
  );
  return ixs;
}

export async function revealIxs(
  ctx: Ctx,
  task: FullTask,
  answerHash: Uint8Array,
  salt: Uint8Array,
  publish: string | null,
): Promise<Instruction[]> {
  const ixs: Instruction[] = [
    getRevealAnswerInstruction({
      worker: signer(ctx.wallet),
      task: task.address,
      submission: await ctx.at.submission(task.address, ctx.wallet),
      answerHash,
      salt,
    }),
  ];
  if (publish !== null) {
    ixs.push(memo(`${ANSWER_MEMO_PREFIX}${task.address} ${publish}`));
  }
  return ixs;
}

export const finalizeIx = (task: FullTask): Instruction => getFinalizeTaskInstruction({ task: task.address });

export async function revealGoldIx(ctx: Ctx, task: FullTask, answerHash: Uint8Array, salt: Uint8Array) {
  return getRevealGoldInstruction({
    requester: signer(ctx.wallet),
    task: task.address,
    requesterRecord: await ctx.at.requester(ctx.wallet),
    answerHash,
    salt,
  });
}

/** Settles one worker's submission (anyone may). */
export async function claimIx(ctx: Ctx, task: FullTask, worker: Address): Promise<Instruction> {
  return getClaimInstruction({
    task: task.address,
    submission: await ctx.at.submission(task.address, worker),
    worker,
    balance: await ctx.at.balance(worker, task.mint),
    workerRecord: await ctx.at.worker(worker),
  });
}

/** Cancels a task nobody answered: its whole deposit returns to the requester's free balance. */
export async function cancelTaskIx(ctx: Ctx, task: FullTask): Promise<Instruction> {
  return getCancelTaskInstruction({
    requester: signer(ctx.wallet),
    task: task.address,
    balance: await ctx.at.balance(task.requester, task.mint),
    requesterRecord: await ctx.at.requester(task.requester),
  });
}

export async function closeTaskIx(ctx: Ctx, task: FullTask): Promise<Instruction> {
  return getCloseTaskInstruction({
    task: task.address,
    requester: task.requester,
    balance: await ctx.at.balance(task.requester, task.mint),
    requesterRecord: await ctx.at.requester(task.requester),
    feeBalance: await ctx.at.feeBalance(task.mint),
  });
}

/** Withdraws to the wallet's associated token account (created if it is missing). */
export async function withdrawIxs(ctx: Ctx, state: WalletState, amount: bigint): Promise<Instruction[]> {
  return [
    getCreateAssociatedTokenIdempotentInstruction({
      payer: signer(ctx.wallet),
      ata: state.tokenAccount,
      owner: ctx.wallet,
      mint: ctx.mint,
      tokenProgram: ctx.chain.config.tokenProgram,
    }),
    getWithdrawInstruction({
      owner: signer(ctx.wallet),
      mintConfig: await ctx.at.mintConfig(ctx.mint),
      balance: state.balanceAddress,
      mint: ctx.mint,
      vault: await ctx.at.vault(ctx.mint),
      destination: state.tokenAccount,
      tokenProgram: ctx.chain.config.tokenProgram,
      amount,
    }),
  ];
}

/** Opens a dispute; the bond comes from the free balance (topped up from the token account).
 *  The program keeps the reason's sha256; the reason itself goes in a memo beside it. */
export async function openDisputeIxs(
  ctx: Ctx,
  state: WalletState,
  task: FullTask,
  reason: string,
  bond: bigint,
): Promise<Instruction[]> {
  const isRequester = task.requester === ctx.wallet;
  const reasonHash = await sha256(new TextEncoder().encode(reason));
  return [
    ...(await fund(ctx, state, bond)),
    getOpenDisputeInstruction({
      opener: signer(ctx.wallet),
      protocol: await ctx.at.protocol(),
      task: task.address,
      openerSubmission: await ctx.at.submission(task.address, ctx.wallet),
      openerBalance: state.balanceAddress,
      mintConfig: await ctx.at.mintConfig(task.mint),
      openerRequesterRecord: isRequester ? await ctx.at.requester(ctx.wallet) : undefined,
      dispute: await ctx.at.dispute(task.address),
      reasonHash,
    }),
    memo(`${DISPUTE_MEMO_PREFIX}${task.address} ${reason}`),
  ];
}

/** A member's vote: its Vote account (created by the member) and cast_vote. */
export async function voteIxs(ctx: Ctx, task: FullTask, choice: number): Promise<Instruction[]> {
  const dispute = await ctx.at.dispute(task.address);
  const vote = await ctx.at.vote(dispute, ctx.wallet);
  return [
    await createOwnAccount(ctx, vote, voteSeed(dispute), getVoteSize()),
    getCastVoteInstruction({
      voter: signer(ctx.wallet),
      member: await ctx.at.member(ctx.wallet),
      task: task.address,
      dispute,
      voterSubmission: await ctx.at.submission(task.address, ctx.wallet),
      vote,
      choice,
    }),
  ];
}

export async function resolveIx(ctx: Ctx, task: FullTask, opener: Address): Promise<Instruction> {
  const isRequester = opener === task.requester;
  return getResolveDisputeInstruction({
    task: task.address,
    dispute: await ctx.at.dispute(task.address),
    opener,
    openerBalance: await ctx.at.balance(opener, task.mint),
    openerRequesterRecord: isRequester ? await ctx.at.requester(opener) : undefined,
    openerWorkerRecord: isRequester ? undefined : await ctx.at.worker(opener),
  });
}
