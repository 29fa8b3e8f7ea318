//! One builder per program instruction, on the program's own account structs and instruction
//! data (`proof_of_brain::accounts` / `instruction`). Each derives every PDA itself, so callers
//! pass only the people, the task and the mint involved.
use anchor_lang::prelude::{Pubkey, System};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_instruction;
use anchor_lang::{Id, InstructionData, ToAccountMetas};
use proof_of_brain::constants::{vote_seed, REQUESTER_RECORD_SEED, WORKER_RECORD_SEED};
use proof_of_brain::state::{Requester, Vote, Worker};
use proof_of_brain::{
    accounts, instruction, CreateTaskArgs, MintBumps, MintLimits, ProtocolParams, ProtocolUpdate,
};

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

    /// The program's vault for this mint.
    pub fn vault(&self) -> Pubkey {
        pda::vault(&self.mint)
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
}

/// Who opened a dispute, as its instructions need to know: the requester, or a worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opener {
    Requester(Pubkey),
    Worker(Pubkey),
}

impl Opener {
    pub fn of(task: &TaskRef, wallet: Pubkey) -> Self {
        if wallet == task.requester {
            Self::Requester(wallet)
        } else {
            Self::Worker(wallet)
        }
    }

    pub fn wallet(&self) -> Pubkey {
        match self {
            Self::Requester(wallet) | Self::Worker(wallet) => *wallet,
        }
    }

    fn requester_record(&self) -> Option<Pubkey> {
        match self {
            Self::Requester(wallet) => Some(pda::requester(wallet)),
            Self::Worker(_) => None,
        }
    }

    fn worker_record(&self) -> Option<Pubkey> {
        match self {
            Self::Worker(wallet) => Some(pda::worker(wallet)),
            Self::Requester(_) => None,
        }
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

pub fn allow_mint(payer: &Pubkey, authority: &Pubkey, mint: MintRef, limits: MintLimits) -> Instruction {
    let (vault, vault_bump) = pda::vault_with_bump(&mint.mint);
    let (fee_balance, fee_balance_bump) = pda::fee_balance_with_bump(&mint.mint);
    build(
        accounts::AllowMint {
            payer: *payer,
            authority: *authority,
            protocol: pda::protocol(),
            mint: mint.mint,
            mint_config: pda::mint_config(&mint.mint),
            fee_balance,
            vault,
            token_program: mint.token_program,
            system_program: System::id(),
        },
        instruction::AllowMint {
            limits,
            bumps: MintBumps { fee_balance: fee_balance_bump, vault: vault_bump },
        },
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

/// An account a wallet creates for itself with the system program, at
/// `create_with_seed(wallet, seed, program)`, before the program initializes it: its Worker or
/// Requester record, or its Vote on a dispute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnAccount {
    Worker,
    Requester,
    Vote { dispute: Pubkey },
}

/// The seed of an [`OwnAccount`] (at most 32 bytes).
pub struct Seed {
    bytes: [u8; 32],
    len: usize,
}

impl Seed {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).expect("ASCII")
    }
}

impl OwnAccount {
    pub fn seed(&self) -> Seed {
        let text = match self {
            Self::Worker => WORKER_RECORD_SEED,
            Self::Requester => REQUESTER_RECORD_SEED,
            Self::Vote { dispute } => return Seed { bytes: vote_seed(dispute), len: 32 },
        };
        let mut bytes = [0; 32];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Seed { bytes, len: text.len() }
    }

    pub fn space(&self) -> usize {
        8 + match self {
            Self::Worker => std::mem::size_of::<Worker>(),
            Self::Requester => std::mem::size_of::<Requester>(),
            Self::Vote { .. } => std::mem::size_of::<Vote>(),
        }
    }

    pub fn address(&self, wallet: &Pubkey) -> Pubkey {
        Pubkey::create_with_seed(wallet, self.seed().as_str(), &pda::program_id()).expect("a valid seed")
    }
}

/// Creates `wallet`'s `account` (owner: the program) with `rent` lamports, `wallet` paying and
/// signing. If someone sent lamports to the address first, `already_held` is what it holds: the
/// account is then topped up, allocated and assigned instead (the system program refuses to
/// create an account that holds lamports).
pub fn create_own_account(
    wallet: &Pubkey,
    account: OwnAccount,
    rent: u64,
    already_held: u64,
) -> Vec<Instruction> {
    let (address, seed, space, program) =
        (account.address(wallet), account.seed(), account.space() as u64, pda::program_id());
    let seed = seed.as_str();
    if already_held == 0 {
        return vec![system_instruction::create_account_with_seed(
            wallet, &address, wallet, seed, rent, space, &program,
        )];
    }
    let mut ixs = Vec::new();
    if rent > already_held {
        ixs.push(system_instruction::transfer(wallet, &address, rent - already_held));
    }
    ixs.push(system_instruction::allocate_with_seed(&address, wallet, seed, space, &program));
    ixs.push(system_instruction::assign_with_seed(&address, wallet, seed, &program));
    ixs
}

/// Opens `owner`'s balance in `mint` (needed once, before the first deposit).
pub fn open_balance(owner: &Pubkey, mint: &Pubkey) -> Instruction {
    build(
        accounts::OpenBalance {
            owner: *owner,
            mint_config: pda::mint_config(mint),
            balance: pda::balance(owner, mint),
            system_program: System::id(),
        },
        instruction::OpenBalance {},
    )
}

/// Deposits `amount` from `from` (a token account `owner` may spend from, usually their ATA) into
/// `owner`'s free balance.
pub fn deposit(owner: &Pubkey, mint: MintRef, from: &Pubkey, amount: u64) -> Instruction {
    build(
        accounts::Deposit {
            owner: *owner,
            mint_config: pda::mint_config(&mint.mint),
            balance: pda::balance(owner, &mint.mint),
            mint: mint.mint,
            from: *from,
            vault: mint.vault(),
            token_program: mint.token_program,
        },
        instruction::Deposit { amount },
    )
}

/// Withdraws `amount` of `owner`'s free balance to `destination`, any token account of the mint.
pub fn withdraw(owner: &Pubkey, mint: MintRef, destination: &Pubkey, amount: u64) -> Instruction {
    build(
        accounts::Withdraw {
            owner: *owner,
            mint_config: pda::mint_config(&mint.mint),
            balance: pda::balance(owner, &mint.mint),
            mint: mint.mint,
            vault: mint.vault(),
            destination: *destination,
            token_program: mint.token_program,
        },
        instruction::Withdraw { amount },
    )
}

/// The treasury withdraws `amount` of the fees accrued in `mint` to `destination`.
pub fn withdraw_fees(treasury: &Pubkey, mint: MintRef, destination: &Pubkey, amount: u64) -> Instruction {
    build(
        accounts::WithdrawFees {
            treasury: *treasury,
            protocol: pda::protocol(),
            mint_config: pda::mint_config(&mint.mint),
            fee_balance: pda::fee_balance(&mint.mint),
            mint: mint.mint,
            vault: mint.vault(),
            destination: *destination,
            token_program: mint.token_program,
        },
        instruction::WithdrawFees { amount },
    )
}

/// Initializes `worker`'s record, which [`create_own_account`] created earlier in the transaction.
pub fn register_worker(worker: &Pubkey) -> Instruction {
    build(
        accounts::RegisterWorker { worker: *worker, worker_record: pda::worker(worker) },
        instruction::RegisterWorker {},
    )
}

/// Creates a task funded from the requester's free balance in `mint`. A first task also initializes
/// the requester's record, which [`create_own_account`] must create earlier in the transaction.
pub fn create_task(requester: &Pubkey, mint: &Pubkey, args: CreateTaskArgs) -> Instruction {
    build(
        accounts::CreateTask {
            requester: *requester,
            protocol: pda::protocol(),
            mint_config: pda::mint_config(mint),
            balance: pda::balance(requester, mint),
            requester_record: pda::requester(requester),
            task: pda::task(requester, args.task_id),
            system_program: System::id(),
        },
        instruction::CreateTask { args },
    )
}

/// Cancels a task nobody answered; the escrow returns to the requester's free balance.
pub fn cancel_task(task: &TaskRef) -> Instruction {
    build(
        accounts::CancelTask {
            requester: task.requester,
            task: task.address,
            balance: pda::balance(&task.requester, &task.mint.mint),
            requester_record: pda::requester(&task.requester),
        },
        instruction::CancelTask {},
    )
}

pub fn commit_answer(worker: &Pubkey, task: &TaskRef, commitment: [u8; 32]) -> Instruction {
    build(
        accounts::CommitAnswer {
            worker: *worker,
            worker_record: pda::worker(worker),
            task: task.address,
            balance: pda::balance(worker, &task.mint.mint),
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

pub fn reveal_gold(task: &TaskRef, answer_hash: [u8; 32], salt: [u8; 32]) -> Instruction {
    build(
        accounts::RevealGold {
            requester: task.requester,
            task: task.address,
            requester_record: pda::requester(&task.requester),
        },
        instruction::RevealGold { answer_hash, salt },
    )
}

/// Settles `worker`'s submission (permissionless): credits their balance.
pub fn claim(task: &TaskRef, worker: &Pubkey) -> Instruction {
    build(
        accounts::Claim {
            task: task.address,
            submission: pda::submission(&task.address, worker),
            worker: *worker,
            balance: pda::balance(worker, &task.mint.mint),
            worker_record: pda::worker(worker),
        },
        instruction::Claim {},
    )
}

/// Closes a settled task (permissionless).
pub fn close_task(task: &TaskRef) -> Instruction {
    build(
        accounts::CloseTask {
            task: task.address,
            requester: task.requester,
            balance: pda::balance(&task.requester, &task.mint.mint),
            requester_record: pda::requester(&task.requester),
            fee_balance: pda::fee_balance(&task.mint.mint),
        },
        instruction::CloseTask {},
    )
}

pub fn add_member(payer: &Pubkey, authority: &Pubkey, wallet: Pubkey, weight: u64) -> Instruction {
    let (member, bump) = pda::member_with_bump(&wallet);
    build(
        accounts::AddMember {
            payer: *payer,
            authority: *authority,
            protocol: pda::protocol(),
            member,
            system_program: System::id(),
        },
        instruction::AddMember { wallet, weight, bump },
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

/// `rent_payer` is who paid the member account's rent (stored in it): the payer of `add_member`,
/// or the worker for a chamber member, whose `chamber_mint` must then be given.
pub fn remove_member(
    authority: &Pubkey,
    wallet: &Pubkey,
    rent_payer: &Pubkey,
    chamber_mint: Option<&Pubkey>,
) -> Instruction {
    build(
        accounts::RemoveMember {
            authority: *authority,
            protocol: pda::protocol(),
            member: pda::member(wallet),
            rent_payer: *rent_payer,
            chamber_balance: chamber_mint.map(|mint| pda::balance(wallet, mint)),
        },
        instruction::RemoveMember {},
    )
}

/// Locks `amount` more of the worker's free balance in `mint` as chamber stake and joins.
pub fn join_worker_chamber(worker: &Pubkey, mint: &Pubkey, amount: u64) -> Instruction {
    build(
        accounts::JoinWorkerChamber {
            worker: *worker,
            protocol: pda::protocol(),
            mint_config: pda::mint_config(mint),
            balance: pda::balance(worker, mint),
            member: pda::member(worker),
            system_program: System::id(),
        },
        instruction::JoinWorkerChamber { amount },
    )
}

/// `chamber_mint`: the mint of a chamber member's stake (`None` for an appointed member).
pub fn leave_membership(wallet: &Pubkey, rent_payer: &Pubkey, chamber_mint: Option<&Pubkey>) -> Instruction {
    build(
        accounts::LeaveMembership {
            wallet: *wallet,
            protocol: pda::protocol(),
            member: pda::member(wallet),
            rent_payer: *rent_payer,
            chamber_balance: chamber_mint.map(|mint| pda::balance(wallet, mint)),
        },
        instruction::LeaveMembership {},
    )
}

pub fn release_chamber_stake(wallet: &Pubkey, mint: &Pubkey) -> Instruction {
    build(
        accounts::ReleaseChamberStake { wallet: *wallet, balance: pda::balance(wallet, mint) },
        instruction::ReleaseChamberStake {},
    )
}

/// Opens a dispute; the bond comes from the opener's free balance in the task's mint.
pub fn open_dispute(opener: Opener, task: &TaskRef, reason_hash: [u8; 32]) -> Instruction {
    let wallet = opener.wallet();
    build(
        accounts::OpenDispute {
            opener: wallet,
            protocol: pda::protocol(),
            task: task.address,
            opener_submission: pda::submission(&task.address, &wallet),
            opener_balance: pda::balance(&wallet, &task.mint.mint),
            mint_config: pda::mint_config(&task.mint.mint),
            opener_requester_record: opener.requester_record(),
            dispute: pda::dispute(&task.address),
            system_program: System::id(),
        },
        instruction::OpenDispute { reason_hash },
    )
}

/// `choice`: the index of a revealed answer in the task's tally, or the tally length for Void.
/// The voter's Vote account must exist ([`create_own_account`] with [`OwnAccount::Vote`]).
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
        },
        instruction::CastVote { choice },
    )
}

/// Resolves the task's dispute (permissionless).
pub fn resolve_dispute(task: &TaskRef, opener: Opener) -> Instruction {
    let wallet = opener.wallet();
    build(
        accounts::ResolveDispute {
            task: task.address,
            dispute: pda::dispute(&task.address),
            opener: wallet,
            opener_balance: pda::balance(&wallet, &task.mint.mint),
            opener_requester_record: opener.requester_record(),
            opener_worker_record: opener.worker_record(),
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

/// SPL Memo (v3): the reveal of a free-text or number answer carries the answer in a memo, so
/// that the dataset can be rebuilt from the chain (see `answer_memo`).
pub const MEMO_PROGRAM_ID: Pubkey = anchor_lang::pubkey!("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");

/// What a memo publishing an answer says: `pob-answer-v1 <task> <canonical answer>`. Readers
/// accept it only if the answer hashes to what the worker revealed in the same transaction.
pub const ANSWER_MEMO_PREFIX: &str = "pob-answer-v1 ";

/// A memo publishing `worker`'s canonical `answer` to `task` (no signer accounts: the reveal
/// beside it is what proves who answered).
pub fn answer_memo(task: &Pubkey, answer: &str) -> Instruction {
    Instruction {
        program_id: MEMO_PROGRAM_ID,
        accounts: Vec::new(),
        data: format!("{ANSWER_MEMO_PREFIX}{task} {answer}").into_bytes(),
    }
}

/// `(task, answer)` from an answer memo's text.
pub fn parse_answer_memo(text: &str) -> Option<(Pubkey, &str)> {
    let rest = text.strip_prefix(ANSWER_MEMO_PREFIX)?;
    let (task, answer) = rest.split_once(' ')?;
    Some((task.parse().ok()?, answer))
}

/// The texts of a message's memo instructions.
pub fn memos_of(message: &solana_sdk::message::VersionedMessage) -> Vec<String> {
    let keys = message.static_account_keys();
    message
        .instructions()
        .iter()
        .filter(|ix| keys.get(usize::from(ix.program_id_index)) == Some(&MEMO_PROGRAM_ID))
        .filter_map(|ix| String::from_utf8(ix.data.clone()).ok())
        .collect()
}

/// Every instruction of the program with its name as the IDL spells it: [`INSTRUCTION_NAMES`]
/// and [`instruction_name`] come from this one list.
macro_rules! program_instructions {
    ($($ix:ident => $name:literal),* $(,)?) => {
        /// The program's instructions, by name.
        pub const INSTRUCTION_NAMES: &[&str] = &[$($name),*];

        /// The name of the program instruction `data` encodes (its discriminator).
        pub fn instruction_name(data: &[u8]) -> Option<&'static str> {
            use anchor_lang::Discriminator;
            $(if data.starts_with(instruction::$ix::DISCRIMINATOR) { return Some($name); })*
            None
        }
    };
}

program_instructions! {
    InitializeProtocol => "initialize_protocol", UpdateProtocol => "update_protocol",
    ProposeAuthority => "propose_authority", AcceptAuthority => "accept_authority",
    AllowMint => "allow_mint", DisableMint => "disable_mint", OpenBalance => "open_balance",
    Deposit => "deposit", Withdraw => "withdraw", WithdrawFees => "withdraw_fees",
    RegisterWorker => "register_worker", CreateTask => "create_task", CancelTask => "cancel_task",
    CommitAnswer => "commit_answer", RevealAnswer => "reveal_answer", FinalizeTask => "finalize_task",
    RevealGold => "reveal_gold", Claim => "claim", CloseTask => "close_task", AddMember => "add_member",
    SetMemberWeight => "set_member_weight", RemoveMember => "remove_member",
    JoinWorkerChamber => "join_worker_chamber", LeaveMembership => "leave_membership",
    ReleaseChamberStake => "release_chamber_stake", OpenDispute => "open_dispute",
    CastVote => "cast_vote", ResolveDispute => "resolve_dispute", CloseVote => "close_vote",
}
