// Every address the app derives, with the program's seeds (programs/.../constants.rs), in one
// place, as cli/src/pda.rs does for the CLI.
import {
  createAddressWithSeed,
  getAddressEncoder,
  getProgramDerivedAddress,
  getU64Encoder,
  type Address,
} from "@solana/kit";
import { findAssociatedTokenPda } from "@solana-program/token";
import { toHex } from "./bytes";

const seed = (text: string) => new TextEncoder().encode(text);
const encodeAddress = (value: Address) => getAddressEncoder().encode(value);

export const WORKER_RECORD_SEED = "pob-worker-v1";
export const REQUESTER_RECORD_SEED = "pob-requester-v1";

export class Addresses {
  constructor(readonly programId: Address) {}

  private async pda(...seeds: (Uint8Array | Address)[]): Promise<Address> {
    const encoded = seeds.map((part) => (typeof part === "string" ? encodeAddress(part) : part));
    const [found] = await getProgramDerivedAddress({ programAddress: this.programId, seeds: encoded });
    return found;
  }

  protocol = () => this.pda(seed("protocol"));
  mintConfig = (mint: Address) => this.pda(seed("mint"), mint);
  vault = (mint: Address) => this.pda(seed("vault"), mint);
  feeBalance = (mint: Address) => this.pda(seed("fees"), mint);
  balance = (wallet: Address, mint: Address) => this.pda(seed("balance"), wallet, mint);
  task = (requester: Address, taskId: bigint) =>
    this.pda(seed("task"), requester, new Uint8Array(getU64Encoder().encode(taskId)));
  submission = (task: Address, worker: Address) => this.pda(seed("submission"), task, worker);
  member = (wallet: Address) => this.pda(seed("member"), wallet);
  dispute = (task: Address) => this.pda(seed("dispute"), task);

  /** A wallet's Worker record: `create_with_seed(wallet, "pob-worker-v1", program)`. */
  worker = (wallet: Address) =>
    createAddressWithSeed({ baseAddress: wallet, programAddress: this.programId, seed: WORKER_RECORD_SEED });
  requester = (wallet: Address) =>
    createAddressWithSeed({ baseAddress: wallet, programAddress: this.programId, seed: REQUESTER_RECORD_SEED });

  /** A member's Vote on a dispute: seed = the dispute's first 16 bytes in hex. */
  vote = (dispute: Address, member: Address) =>
    createAddressWithSeed({ baseAddress: member, programAddress: this.programId, seed: voteSeed(dispute) });
}

/** An address's 32 bytes, as commitments and seals hash them. */
export const addressBytes = (value: Address): Uint8Array => new Uint8Array(encodeAddress(value));

export const voteSeed = (dispute: Address): string => toHex(new Uint8Array(encodeAddress(dispute)).slice(0, 16));

export async function associatedTokenAccount(owner: Address, mint: Address, tokenProgram: Address): Promise<Address> {
  const [ata] = await findAssociatedTokenPda({ owner, mint, tokenProgram });
  return ata;
}
