//! One builder per program instruction. Each derives every PDA itself, so callers pass only the
//! people and the mint involved.
use anchor_lang::prelude::{Pubkey, System};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{Id, InstructionData, ToAccountMetas};
use anchor_spl::associated_token::AssociatedToken;
use proof_of_brain::{accounts, instruction, CreateTaskArgs, ProtocolParams, ProtocolUpdate};

use crate::pda;

/// The token side of a mint: its address and the token program that owns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MintRef {
    pub mint: Pubkey,
    pub token_program: Pubkey,
}

impl MintRef {
    pub fn ata(&self, owner: &Pubkey) -> Pubkey {
        pda::ata(owner, &self.mint, &self.token_program)
    }
}

/// A task's address and the keys its instructions need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskRef {
    pub address: Pubkey,
    pub requester: Pubkey,
    pub mint: MintRef,
}

impl TaskRef {
    pub fn new(requester: Pubkey, task_id: u64, mint: MintRef) -> Self {
        Self { address: pda::task(&requester, task_id), requester, mint }
    }

    pub fn vault(&self) -> Pubkey {
        self.mint.ata(&self.address)
    }
}

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: pda::program_id(),
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

pub fn initialize_protocol(payer: &Pubkey, authority: Pubkey, params: ProtocolParams) -> Instruction {
    build(
        accounts::InitializeProtocol {
            payer: *payer,
            protocol: pda::protocol(),
            system_program: System::id(),
        },
        instruction::InitializeProtocol { authority, params },
    )
}

pub fn update_protocol(authority: &Pubkey, update: ProtocolUpdate) -> Instruction {
    build(
        accounts::UpdateProtocol { authority: *authority, protocol: pda::protocol() },
        instruction::UpdateProtocol { update },
    )
}

pub fn propose_authority(authority: &Pubkey, new_authority: Option<Pubkey>) -> Instruction {
    build(
        accounts::ProposeAuthority { authority: *authority, protocol: pda::protocol() },
        instruction::ProposeAuthority { new_authority },
    )
}

pub fn accept_authority(new_authority: &Pubkey) -> Instruction {
    build(
        accounts::AcceptAuthority { new_authority: *new_authority, protocol: pda::protocol() },
        instruction::AcceptAuthority {},
    )
}

pub fn allow_mint(
    payer: &Pubkey,
    authority: &Pubkey,
    mint: MintRef,
    min_reward_per_answer: u64,
    min_stake_per_answer: u64,
    dispute_bond: u64,
) -> Instruction {
    build(
        accounts::AllowMint {
            payer: *payer,
            authority: *authority,
            protocol: pda::protocol(),
            mint: mint.mint,
            mint_config: pda::mint_config(&mint.mint),
            stake_vault: pda::stake_vault(&mint.mint, &mint.token_program),
            token_program: mint.token_program,
            associated_token_program: AssociatedToken::id(),
            system_program: System::id(),
        },
        instruction::AllowMint { min_reward_per_answer, min_stake_per_answer, dispute_bond },
    )
}

pub fn disable_mint(authority: &Pubkey, mint: &Pubkey) -> Instruction {
    build(
        accounts::DisableMint {
            authority: *authority,
            protocol: pda::protocol(),
            mint_config: pda::mint_config(mint),
        },
        instruction::DisableMint {},
    )
}

pub fn register_worker(worker: &Pubkey) -> Instruction {
    build(
        accounts::RegisterWorker {
            worker: *worker,
            worker_account: pda::worker(worker),
            system_program: System::id(),
        },
        instruction::RegisterWorker {},
    )
}

/// Stakes from `from`, a token account of the worker (usually their ATA).
pub fn stake(worker: &Pubkey, mint: MintRef, from: &Pubkey, amount: u64) -> Instruction {
    build(
        accounts::StakeTokens {
            worker: *worker,
            mint_config: pda::mint_config(&mint.mint),
            mint: mint.mint,
            stake: pda::stake(worker, &mint.mint),
            worker_token_account: *from,
            stake_vault: pda::stake_vault(&mint.mint, &mint.token_program),
            token_program: mint.token_program,
            system_program: System::id(),
        },
        instruction::Stake { amount },
    )
}

/// Unstakes into `to`, a token account of the worker.
pub fn unstake(worker: &Pubkey, mint: MintRef, to: &Pubkey, amount: u64) -> Instruction {
    build(
        accounts::UnstakeTokens {
            worker: *worker,
            mint_config: pda::mint_config(&mint.mint),
            mint: mint.mint,
            stake: pda::stake(worker, &mint.mint),
            worker_token_account: *to,
            stake_vault: pda::stake_vault(&mint.mint, &mint.token_program),
            token_program: mint.token_program,
        },
        instruction::Unstake { amount },
    )
}

/// Creates a task funded from `from`, a token account of the requester.
pub fn create_task(requester: &Pubkey, mint: MintRef, from: &Pubkey, args: CreateTaskArgs) -> Instruction {
    let task = TaskRef::new(*requester, args.task_id, mint);
    build(
        accounts::CreateTask {
            requester: *requester,
            protocol: pda::protocol(),
            mint_config: pda::mint_config(&mint.mint),
            mint: mint.mint,
            task: task.address,
            vault: task.vault(),
            requester_token_account: *from,
            token_program: mint.token_program,
            associated_token_program: AssociatedToken::id(),
            system_program: System::id(),
        },
        instruction::CreateTask { args },
    )
}

/// Cancels a task, refunding into `to`, a token account of the requester.
pub fn cancel_task(task: &TaskRef, to: &Pubkey) -> Instruction {
    build(
        accounts::CancelTask {
            requester: task.requester,
            task: task.address,
            mint: task.mint.mint,
            vault: task.vault(),
            requester_token_account: *to,
            token_program: task.mint.token_program,
        },
        instruction::CancelTask {},
    )
}

pub fn commit_answer(worker: &Pubkey, task: &TaskRef, commitment: [u8; 32]) -> Instruction {
    build(
        accounts::CommitAnswer {
            worker: *worker,
            worker_account: pda::worker(worker),
            task: task.address,
            stake: pda::stake(worker, &task.mint.mint),
            submission: pda::submission(&task.address, worker),
            system_program: System::id(),
        },
        instruction::CommitAnswer { commitment },
    )
}

pub fn reveal_answer(worker: &Pubkey, task: &Pubkey, answer_hash: [u8; 32], salt: [u8; 32]) -> Instruction {
    build(
        accounts::RevealAnswer { worker: *worker, task: *task, submission: pda::submission(task, worker) },
        instruction::RevealAnswer { answer_hash, salt },
    )
}

pub fn finalize_task(task: &Pubkey) -> Instruction {
    build(accounts::FinalizeTask { task: *task }, instruction::FinalizeTask {})
}

/// Settles `worker`'s submission; `payer` (anyone) covers the worker's ATA if it is missing.
pub fn claim(payer: &Pubkey, task: &TaskRef, worker: &Pubkey) -> Instruction {
    let mint = task.mint;
    build(
        accounts::Claim {
            payer: *payer,
            task: task.address,
            submission: pda::submission(&task.address, worker),
            worker: *worker,
            worker_account: pda::worker(worker),
            stake: pda::stake(worker, &mint.mint),
            mint: mint.mint,
            mint_config: pda::mint_config(&mint.mint),
            vault: task.vault(),
            stake_vault: pda::stake_vault(&mint.mint, &mint.token_program),
            worker_token_account: mint.ata(worker),
            token_program: mint.token_program,
            associated_token_program: AssociatedToken::id(),
            system_program: System::id(),
        },
        instruction::Claim {},
    )
}

/// Closes a settled task; `treasury` is the protocol's treasury owner.
pub fn close_task(payer: &Pubkey, task: &TaskRef, treasury: &Pubkey) -> Instruction {
    let mint = task.mint;
    build(
        accounts::CloseTask {
            payer: *payer,
            protocol: pda::protocol(),
            task: task.address,
            requester: task.requester,
            mint: mint.mint,
            vault: task.vault(),
            requester_token_account: mint.ata(&task.requester),
            treasury: *treasury,
            treasury_token_account: mint.ata(treasury),
            token_program: mint.token_program,
            associated_token_program: AssociatedToken::id(),
            system_program: System::id(),
        },
        instruction::CloseTask {},
    )
}

pub fn add_member(payer: &Pubkey, authority: &Pubkey, wallet: Pubkey, weight: u64) -> Instruction {
    build(
        accounts::AddMember {
            payer: *payer,
            authority: *authority,
            protocol: pda::protocol(),
            member: pda::member(&wallet),
            system_program: System::id(),
        },
        instruction::AddMember { wallet, weight },
    )
}

pub fn set_member_weight(authority: &Pubkey, wallet: &Pubkey, weight: u64) -> Instruction {
    build(
        accounts::SetMemberWeight {
            authority: *authority,
            protocol: pda::protocol(),
            member: pda::member(wallet),
        },
        instruction::SetMemberWeight { weight },
    )
}

/// `rent_payer` is who paid the member account's rent (stored in it): usually the payer of
/// `add_member`, or the worker for a worker-chamber member.
pub fn remove_member(authority: &Pubkey, wallet: &Pubkey, rent_payer: &Pubkey) -> Instruction {
    build(
        accounts::RemoveMember {
            authority: *authority,
            protocol: pda::protocol(),
            member: pda::member(wallet),
            rent_payer: *rent_payer,
        },
        instruction::RemoveMember {},
    )
}

/// `stake_mint`: the mint of the stake that qualifies the worker.
pub fn join_worker_chamber(worker: &Pubkey, stake_mint: &Pubkey) -> Instruction {
    build(
        accounts::JoinWorkerChamber {
            worker: *worker,
            protocol: pda::protocol(),
            worker_account: pda::worker(worker),
            stake: pda::stake(worker, stake_mint),
            member: pda::member(worker),
            system_program: System::id(),
        },
        instruction::JoinWorkerChamber {},
    )
}

pub fn leave_membership(wallet: &Pubkey, rent_payer: &Pubkey) -> Instruction {
    build(
        accounts::LeaveMembership {
            wallet: *wallet,
            protocol: pda::protocol(),
            member: pda::member(wallet),
            rent_payer: *rent_payer,
        },
        instruction::LeaveMembership {},
    )
}

/// Opens a dispute, paying the bond from `from` (a token account of the opener).
pub fn open_dispute(opener: &Pubkey, task: &TaskRef, from: &Pubkey, reason_hash: [u8; 32]) -> Instruction {
    build(
        accounts::OpenDispute {
            opener: *opener,
            protocol: pda::protocol(),
            task: task.address,
            opener_submission: pda::submission(&task.address, opener),
            mint_config: pda::mint_config(&task.mint.mint),
            mint: task.mint.mint,
            dispute: pda::dispute(&task.address),
            opener_token_account: *from,
            vault: task.vault(),
            token_program: task.mint.token_program,
            system_program: System::id(),
        },
        instruction::OpenDispute { reason_hash },
    )
}

/// `choice`: the index of a revealed answer in the task's tally, or the tally length for Void.
pub fn cast_vote(voter: &Pubkey, task: &Pubkey, choice: u8) -> Instruction {
    let dispute = pda::dispute(task);
    build(
        accounts::CastVote {
            voter: *voter,
            member: pda::member(voter),
            task: *task,
            dispute,
            voter_submission: pda::submission(task, voter),
            vote: pda::vote(&dispute, voter),
            system_program: System::id(),
        },
        instruction::CastVote { choice },
    )
}

/// Resolves the task's dispute; `opener` opened it, `treasury` is the protocol's treasury owner.
pub fn resolve_dispute(payer: &Pubkey, task: &TaskRef, opener: &Pubkey, treasury: &Pubkey) -> Instruction {
    let mint = task.mint;
    let is_requester = *opener == task.requester;
    build(
        accounts::ResolveDispute {
            payer: *payer,
            protocol: pda::protocol(),
            task: task.address,
            dispute: pda::dispute(&task.address),
            opener: *opener,
            opener_worker_account: (!is_requester).then(|| pda::worker(opener)),
            mint: mint.mint,
            vault: task.vault(),
            opener_token_account: mint.ata(opener),
            treasury: *treasury,
            treasury_token_account: mint.ata(treasury),
            token_program: mint.token_program,
            associated_token_program: AssociatedToken::id(),
            system_program: System::id(),
        },
        instruction::ResolveDispute {},
    )
}

/// Returns a resolved dispute's vote rent to the voter (permissionless).
pub fn close_vote(task: &Pubkey, member_wallet: &Pubkey) -> Instruction {
    let dispute = pda::dispute(task);
    build(
        accounts::CloseVote { vote: pda::vote(&dispute, member_wallet), dispute, member: *member_wallet },
        instruction::CloseVote {},
    )
}
