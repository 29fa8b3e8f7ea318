//! `cargo run -p pob-bench --profile host-release`: runs full task lifecycles on the embedded bank and prints
//! markdown tables of what they cost. Every actor pays their own transaction fees, as on a real
//! cluster (5,000 lamports per signature, no priority fee).
use std::time::Instant;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{Discriminator, Space};
use anyhow::{anyhow, Result};
use pob_cli::embedded::EmbeddedBank;
use pob_cli::ix::{self, MintRef, TaskRef};
use pob_cli::pda;
use pob_cli::session::{legacy_shape, MAX_TX_ACCOUNTS, MAX_TX_BYTES};
use proof_of_brain::logic::commitment::{answer_commitment, answer_hash};
use proof_of_brain::state::{Dispute, Member, MintConfig, Protocol, Stake, Submission, Task, Vote, Worker};
use proof_of_brain::CreateTaskArgs;
use solana_address_lookup_table_interface::instruction::{create_lookup_table, extend_lookup_table};
use solana_sdk::instruction::InstructionError;
use solana_sdk::message::{v0, AddressLookupTableAccount, VersionedMessage};
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::{Transaction, TransactionError, VersionedTransaction};

const USDC: u64 = 1_000_000;
const SOL: u64 = 1_000_000_000;
const LAMPORTS_PER_SIGNATURE: u64 = 5_000;
const DAY: i64 = 86_400;
/// Tasks per batched workload: every worker answers every task.
const BATCH_TASKS: usize = 32;

/// The report, printed in one block at the end: the program's own log lines (from simulations
/// that overflow the instruction trace, then split) print as they happen.
static REPORT: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

macro_rules! outln {
    ($($arg:tt)*) => {{
        let line = format!($($arg)*); // evaluated before the lock is taken
        let mut report = REPORT.lock().unwrap();
        report.push_str(&line);
        report.push('\n');
    }};
}

/// Wire size and account count (static keys plus those loaded from tables) of a v0 transaction.
fn v0_shape(tx: &VersionedTransaction) -> (usize, usize) {
    let bytes = 1 + 64 * tx.signatures.len() + tx.message.serialize().len();
    let accounts = match &tx.message {
        VersionedMessage::V0(message) => {
            message.account_keys.len()
                + message
                    .address_table_lookups
                    .iter()
                    .map(|l| l.writable_indexes.len() + l.readonly_indexes.len())
                    .sum::<usize>()
        }
        VersionedMessage::Legacy(message) => message.account_keys.len(),
    };
    (bytes, accounts)
}

/// How a workload's instructions are put into transactions.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// One instruction per legacy transaction.
    Single,
    /// As many instructions per legacy transaction as fit.
    Batched,
    /// As many per v0 transaction as fit, loading accounts from address lookup tables.
    LookupTables,
}

#[derive(Default, Clone, Copy)]
struct Totals {
    transactions: u64,
    signatures: u64,
    largest_bytes: usize,
    most_accounts: usize,
}

impl Totals {
    fn fees(&self) -> u64 {
        self.signatures * LAMPORTS_PER_SIGNATURE
    }
}

struct Bench {
    bank: EmbeddedBank,
    treasury: Pubkey,
    mint: MintRef,
    mint_authority: Keypair,
    crank: Keypair,
    totals: Totals,
    next_task_id: u64,
    /// Lookup tables v0 transactions may load accounts from.
    tables: Vec<AddressLookupTableAccount>,
}

impl Bench {
    async fn new() -> Result<Self> {
        let mut bank = EmbeddedBank::start(1_795_478_400).await;
        let (authority, mint_authority, crank) = (Keypair::new(), Keypair::new(), Keypair::new());
        let treasury = Keypair::new().pubkey();
        for key in [authority.pubkey(), crank.pubkey()] {
            bank.airdrop(&key, 100 * SOL).await?;
        }
        let mint = bank.create_mint(&mint_authority.pubkey(), 6, &anchor_spl::token::ID).await?;
        let params = pob_cli::defaults::protocol_params(treasury);
        let payer = bank.payer();
        let setup = [
            ix::initialize_protocol(&payer, authority.pubkey(), params),
            ix::allow_mint(&payer, &authority.pubkey(), mint, USDC / 100, USDC / 10, USDC),
        ];
        bank.send(&setup, &[&authority]).await?;
        Ok(Self {
            bank,
            treasury,
            mint,
            mint_authority,
            crank,
            totals: Totals::default(),
            next_task_id: 1,
            tables: Vec::new(),
        })
    }

    /// A funded wallet (SOL for fees and rent, `usdc` tokens).
    async fn wallet(&mut self, usdc: u64) -> Result<Keypair> {
        let wallet = Keypair::new();
        self.bank.airdrop(&wallet.pubkey(), 10 * SOL).await?;
        self.bank.mint_to(self.mint, &self.mint_authority.insecure_clone(), &wallet.pubkey(), usdc).await?;
        Ok(wallet)
    }

    async fn worker(&mut self, stake: u64) -> Result<Keypair> {
        let worker = self.wallet(stake).await?;
        let key = worker.pubkey();
        let ixs = [ix::register_worker(&key), ix::stake(&key, self.mint, &self.mint.ata(&key), stake)];
        let tx = self.bank.sign_paid_by(&worker, &ixs, &[]).await;
        self.bank.process(tx).await?;
        Ok(worker)
    }

    /// Sends `ixs` paid by `payer`, one instruction per transaction or packed greedily into as
    /// few transactions as the size and account limits allow. Returns the most instructions one
    /// transaction carried.
    async fn run(&mut self, payer: &Keypair, ixs: Vec<Instruction>, mode: Mode) -> Result<usize> {
        let mut most = 0;
        let mut pending: Vec<Instruction> = Vec::new();
        for instruction in ixs {
            if mode == Mode::Single {
                most = 1;
                self.send(payer, vec![instruction]).await?;
                continue;
            }
            let mut candidate = pending.clone();
            candidate.push(instruction.clone());
            if pending.is_empty() || self.fits(payer, &candidate, mode) {
                pending = candidate;
                continue;
            }
            most = most.max(self.send_batch(payer, std::mem::take(&mut pending), mode).await?);
            pending.push(instruction);
        }
        if !pending.is_empty() {
            most = most.max(self.send_batch(payer, pending, mode).await?);
        }
        Ok(most)
    }

    /// Sends a batch that fits the size and account limits. The runtime also caps a transaction
    /// at 64 instructions including CPIs (the instruction trace), which only execution tells:
    /// the batch is simulated first and split in half while it exceeds that cap. Returns the
    /// largest batch sent.
    async fn send_batch(&mut self, payer: &Keypair, ixs: Vec<Instruction>, mode: Mode) -> Result<usize> {
        if ixs.len() > 1 {
            let tx: VersionedTransaction = if mode == Mode::LookupTables {
                let tables = self.tables.clone();
                self.bank.sign_v0(payer, &ixs, &tables).await?
            } else {
                self.bank.sign_paid_by(payer, &ixs, &[]).await.into()
            };
            let trace_exceeded = matches!(
                self.bank.simulate(tx).await,
                Some(TransactionError::InstructionError(
                    _,
                    InstructionError::MaxInstructionTraceLengthExceeded
                ))
            );
            if trace_exceeded {
                let second = ixs[ixs.len() / 2..].to_vec();
                let first = ixs[..ixs.len() / 2].to_vec();
                let a = Box::pin(self.send_batch(payer, first, mode)).await?;
                let b = Box::pin(self.send_batch(payer, second, mode)).await?;
                return Ok(a.max(b));
            }
        }
        let count = ixs.len();
        self.send_mode(payer, ixs, mode).await?;
        Ok(count)
    }

    fn fits(&self, payer: &Keypair, ixs: &[Instruction], mode: Mode) -> bool {
        let blockhash = self.bank.blockhash();
        let (bytes, accounts) = if mode == Mode::LookupTables {
            let Ok(message) = v0::Message::try_compile(&payer.pubkey(), ixs, &self.tables, blockhash) else {
                return false;
            };
            let Ok(tx) = VersionedTransaction::try_new(VersionedMessage::V0(message), &[payer]) else {
                return false;
            };
            v0_shape(&tx)
        } else {
            let tx = Transaction::new_signed_with_payer(ixs, Some(&payer.pubkey()), &[payer], blockhash);
            legacy_shape(&tx)
        };
        bytes <= MAX_TX_BYTES && accounts <= MAX_TX_ACCOUNTS
    }

    async fn send_mode(&mut self, payer: &Keypair, ixs: Vec<Instruction>, mode: Mode) -> Result<()> {
        if mode != Mode::LookupTables {
            return self.send(payer, ixs).await;
        }
        let tables = self.tables.clone();
        let tx = self.bank.sign_v0(payer, &ixs, &tables).await?;
        let (bytes, accounts) = v0_shape(&tx);
        self.record(bytes, accounts, tx.signatures.len())?;
        self.bank.process(tx).await.map_err(|err| anyhow!("transaction failed: {err}"))
    }

    async fn send(&mut self, payer: &Keypair, ixs: Vec<Instruction>) -> Result<()> {
        let tx = self.bank.sign_paid_by(payer, &ixs, &[]).await;
        let (bytes, accounts) = legacy_shape(&tx);
        self.record(bytes, accounts, tx.signatures.len())?;
        self.bank.process(tx).await.map_err(|err| anyhow!("transaction failed: {err}"))
    }

    fn record(&mut self, bytes: usize, accounts: usize, signatures: usize) -> Result<()> {
        if bytes > MAX_TX_BYTES || accounts > MAX_TX_ACCOUNTS {
            return Err(anyhow!("a transaction of {bytes} bytes and {accounts} accounts does not fit"));
        }
        self.totals.transactions += 1;
        self.totals.signatures += signatures as u64;
        self.totals.largest_bytes = self.totals.largest_bytes.max(bytes);
        self.totals.most_accounts = self.totals.most_accounts.max(accounts);
        Ok(())
    }

    /// Creates an address lookup table holding `addresses` (paid by the crank, fees counted) and
    /// waits the one slot after which its addresses can be used.
    async fn lookup_table(&mut self, addresses: Vec<Pubkey>) -> Result<()> {
        let crank = self.crank.insecure_clone();
        let now = self.bank.now();
        self.bank.warp_to(now).await; // a new slot, so the previous one is a recent slot
        let recent_slot = self.bank.slot() - 1;
        let (create, table) = create_lookup_table(crank.pubkey(), crank.pubkey(), recent_slot);
        self.send(&crank, vec![create]).await?;
        for chunk in addresses.chunks(24) {
            let extend = extend_lookup_table(table, crank.pubkey(), Some(crank.pubkey()), chunk.to_vec());
            self.send(&crank, vec![extend]).await?;
        }
        self.bank.warp_to(now).await; // addresses added in a slot are usable from the next one
        self.tables.push(AddressLookupTableAccount { key: table, addresses });
        Ok(())
    }

    fn task_args(&mut self, n: u8) -> CreateTaskArgs {
        let task_id = self.next_task_id;
        self.next_task_id += 1;
        let now = self.bank.now();
        CreateTaskArgs {
            task_id,
            spec_hash: answer_hash(b"Is there a cat in this image?"),
            spec_uri: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi".into(),
            answers_required: n,
            quorum: n / 2 + 1,
            reward_per_answer: 50_000,
            stake_per_answer: 500_000,
            no_quorum_bps: 5_000,
            commit_deadline: now + 3600,
            reveal_deadline: now + 7200,
        }
    }
}

/// What one workload (`tasks` tasks of `n` answers, every worker answering every task) cost.
struct Run {
    totals: Totals,
    answers: u64,
    peak_rent: u64,
    rent_left: u64,
    seconds: f64,
    max_batch: [usize; 6],
}

async fn workload(n: u8, tasks: usize, mode: Mode) -> Result<Run> {
    let mut bench = Bench::new().await?;

    let requester = bench.wallet(1_000 * USDC).await?;
    let mut workers = Vec::new();
    for _ in 0..n {
        workers.push(bench.worker(tasks as u64 * 500_000).await?);
    }
    let crank = bench.crank.insecure_clone();
    let start = Instant::now();
    if mode == Mode::LookupTables {
        // A long-lived table of the workers' and the protocol's accounts, reused by every task.
        let (mint, token_program) = (bench.mint.mint, bench.mint.token_program);
        let mut shared = vec![
            mint,
            token_program,
            pda::mint_config(&mint),
            pda::stake_vault(&mint, &token_program),
            pda::protocol(),
            anchor_spl::associated_token::ID,
            anchor_lang::system_program::ID,
            bench.treasury,
            bench.mint.ata(&bench.treasury),
            requester.pubkey(),
            bench.mint.ata(&requester.pubkey()),
        ];
        for worker in &workers {
            let key = worker.pubkey();
            shared.extend([key, pda::worker(&key), pda::stake(&key, &mint), bench.mint.ata(&key)]);
        }
        bench.lookup_table(shared).await?;
    }

    let mut task_refs = Vec::new();
    let mut creates = Vec::new();
    for _ in 0..tasks {
        let args = bench.task_args(n);
        task_refs.push(TaskRef::new(requester.pubkey(), args.task_id, bench.mint));
        creates.push(ix::create_task(
            &requester.pubkey(),
            bench.mint,
            &bench.mint.ata(&requester.pubkey()),
            args,
        ));
    }
    let mut max_batch = [0usize; 6];
    max_batch[0] = bench.run(&requester, creates, mode).await?;
    if mode == Mode::LookupTables {
        // A table per batch of tasks: each task and its vault.
        let addresses = task_refs.iter().flat_map(|task| [task.address, task.vault()]).collect();
        bench.lookup_table(addresses).await?;
    }

    for worker in &workers {
        let commits = task_refs
            .iter()
            .map(|task| {
                let salt = answer_hash(&[task.address.as_ref(), worker.pubkey().as_ref()].concat());
                let commitment = answer_commitment(
                    &task.address.to_bytes(),
                    &worker.pubkey().to_bytes(),
                    &answer_hash(b"yes"),
                    &salt,
                );
                ix::commit_answer(&worker.pubkey(), task, commitment)
            })
            .collect();
        max_batch[1] = max_batch[1].max(bench.run(worker, commits, mode).await?);
    }
    // Rent locked while every answer is open: tasks, vaults, submissions.
    let mut peak_rent = 0;
    for task in &task_refs {
        peak_rent += bench.bank.lamports(task.address).await + bench.bank.lamports(task.vault()).await;
        for worker in &workers {
            peak_rent += bench.bank.lamports(pda::submission(&task.address, &worker.pubkey())).await;
        }
    }
    for worker in &workers {
        let reveals = task_refs
            .iter()
            .map(|task| {
                let salt = answer_hash(&[task.address.as_ref(), worker.pubkey().as_ref()].concat());
                ix::reveal_answer(&worker.pubkey(), &task.address, answer_hash(b"yes"), salt)
            })
            .collect();
        max_batch[2] = max_batch[2].max(bench.run(worker, reveals, mode).await?);
    }
    let finalizes = task_refs.iter().map(|task| ix::finalize_task(&task.address)).collect();
    max_batch[3] = bench.run(&crank, finalizes, mode).await?;
    let window_end = bench.bank.now() + DAY;
    bench.bank.warp_to(window_end).await;
    let mut claims = Vec::new();
    for task in &task_refs {
        for worker in &workers {
            claims.push(ix::claim(&crank.pubkey(), task, &worker.pubkey()));
        }
    }
    max_batch[4] = bench.run(&crank, claims, mode).await?;
    let closes =
        task_refs.iter().map(|task| ix::close_task(&crank.pubkey(), task, &bench.treasury)).collect();
    max_batch[5] = bench.run(&crank, closes, mode).await?;
    let seconds = start.elapsed().as_secs_f64();

    let mut rent_left = 0;
    for task in &task_refs {
        rent_left += bench.bank.lamports(task.address).await + bench.bank.lamports(task.vault()).await;
        for worker in &workers {
            rent_left += bench.bank.lamports(pda::submission(&task.address, &worker.pubkey())).await;
        }
    }
    Ok(Run {
        totals: bench.totals,
        answers: tasks as u64 * u64::from(n),
        peak_rent,
        rent_left,
        seconds,
        max_batch,
    })
}

impl Run {
    /// The cells both batched tables share: fees per answer, the largest batch of each
    /// instruction, the largest transaction, leftover rent and throughput.
    fn batched_cells(&self) -> String {
        let b = self.max_batch;
        format!(
            "{} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.0}",
            self.totals.fees() / self.answers,
            b[0],
            b[1],
            b[2],
            b[3],
            b[4],
            b[5],
            self.totals.largest_bytes,
            self.totals.most_accounts,
            self.rent_left,
            self.answers as f64 / self.seconds
        )
    }
}

fn sol(lamports: u64) -> String {
    format!("{}.{:09}", lamports / SOL, lamports % SOL)
}

#[tokio::main]
async fn main() -> Result<()> {
    outln!(
        "# Proof of Brain: cost and scale (embedded bank, {} build)\n",
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
    outln!("Fees: {LAMPORTS_PER_SIGNATURE} lamports per signature, no priority fee; every actor pays their own.\n");

    outln!("## One task, one instruction per transaction\n");
    outln!("| n | tx / task | signatures / task | fees / answer (lamports) | peak rent locked / task (SOL) | rent left after close | largest tx (bytes) | most accounts | answers settled / s |");
    outln!("|---|---|---|---|---|---|---|---|---|");
    let mut unbatched = Vec::new();
    for n in [1u8, 5, 16, 32] {
        let run = workload(n, 1, Mode::Single).await?;
        outln!(
            "| {n} | {} | {} | {} | {} | {} | {} | {} | {:.0} |",
            run.totals.transactions,
            run.totals.signatures,
            run.totals.fees() / run.answers,
            sol(run.peak_rent),
            run.rent_left,
            run.totals.largest_bytes,
            run.totals.most_accounts,
            run.answers as f64 / run.seconds
        );
        unbatched.push(run.totals.fees() / run.answers);
    }

    outln!("\n## {BATCH_TASKS} tasks at once, every worker answering every task, batched to the limits\n");
    outln!("| n | fees / answer unbatched | fees / answer batched | creates / tx | commits / tx | reveals / tx | finalizes / tx | claims / tx | closes / tx | largest tx (bytes) | most accounts | rent left | answers settled / s |");
    outln!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (i, n) in [1u8, 5, 16, 32].into_iter().enumerate() {
        let run = workload(n, BATCH_TASKS, Mode::Batched).await?;
        outln!("| {n} | {} | {} |", unbatched[i], run.batched_cells());
    }

    outln!("\n## The same, in v0 transactions loading accounts from address lookup tables\n");
    outln!(
        "One long-lived table holds the workers' and the protocol's accounts; one per batch of tasks holds \
         the tasks and their vaults. Creating and extending the tables is paid by the crank and counted.\n"
    );
    outln!("| n | fees / answer | creates / tx | commits / tx | reveals / tx | finalizes / tx | claims / tx | closes / tx | largest tx (bytes) | most accounts | rent left | answers settled / s |");
    outln!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for n in [1u8, 5, 16, 32] {
        let run = workload(n, BATCH_TASKS, Mode::LookupTables).await?;
        outln!("| {n} | {} |", run.batched_cells());
    }

    let mut bench = Bench::new().await?;
    outln!("\n## Account sizes\n");
    outln!("| account | bytes | rent-exempt minimum (SOL) | lives |");
    outln!("|---|---|---|---|");
    let rows: [(&str, usize, &str); 11] = [
        ("Protocol", Protocol::DISCRIMINATOR.len() + Protocol::INIT_SPACE, "forever"),
        ("MintConfig", MintConfig::DISCRIMINATOR.len() + MintConfig::INIT_SPACE, "forever"),
        ("Worker", Worker::DISCRIMINATOR.len() + Worker::INIT_SPACE, "forever"),
        ("Stake", Stake::DISCRIMINATOR.len() + Stake::INIT_SPACE, "forever"),
        ("Task (n = 1, empty URI)", Task::space(1, 0), "until close"),
        ("Task (n = 32, 200-byte URI)", Task::space(32, 200), "until close"),
        ("Submission", Submission::DISCRIMINATOR.len() + Submission::INIT_SPACE, "until claim"),
        ("Member", Member::DISCRIMINATOR.len() + Member::INIT_SPACE, "until removed"),
        ("Dispute (2 answers + Void)", Dispute::space(3), "until resolved"),
        ("Vote", Vote::DISCRIMINATOR.len() + Vote::INIT_SPACE, "until close_vote"),
        ("Token account (vault, ATA)", 165, "until close"),
    ];
    for (name, bytes, lives) in rows {
        outln!("| {name} | {bytes} | {} | {lives} |", sol(bench.bank.rent_exempt_minimum(bytes).await));
    }

    outln!("\n## Write-locked accounts per instruction\n");
    let (k, task) = (Pubkey::new_unique(), TaskRef::new(Pubkey::new_unique(), 1, bench.mint));
    let mint = bench.mint;
    let named: Vec<(&str, Instruction, Vec<&str>)> = vec![
        (
            "create_task",
            ix::create_task(&k, mint, &mint.ata(&k), bench_args()),
            vec!["requester", "task", "vault", "requester token account"],
        ),
        (
            "commit_answer",
            ix::commit_answer(&k, &task, [0; 32]),
            vec!["worker", "worker record", "task", "stake", "submission"],
        ),
        ("reveal_answer", ix::reveal_answer(&k, &task.address, [0; 32], [0; 32]), vec!["task", "submission"]),
        ("finalize_task", ix::finalize_task(&task.address), vec!["task"]),
        ("claim", ix::claim(&k, &task, &Pubkey::new_unique()), vec![]),
        ("close_task", ix::close_task(&k, &task, &bench.treasury), vec![]),
    ];
    outln!("| instruction | accounts | write-locked | of which shared by all answers of a task |");
    outln!("|---|---|---|---|");
    for (name, instruction, _) in &named {
        let writable = instruction.accounts.iter().filter(|m| m.is_writable).count();
        let task_locked = instruction.accounts.iter().any(|m| m.is_writable && m.pubkey == task.address);
        outln!(
            "| {name} | {} | {writable} | {} |",
            instruction.accounts.len(),
            if task_locked { "Task" } else { "none" }
        );
    }

    outln!("\n## Accounts structs (host size of the validated accounts, 64-bit)\n");
    outln!("| instruction | bytes |");
    outln!("|---|---|");
    use proof_of_brain::instructions as i;
    let sizes: [(&str, usize); 8] = [
        ("CreateTask", std::mem::size_of::<i::CreateTask<'static>>()),
        ("CommitAnswer", std::mem::size_of::<i::CommitAnswer<'static>>()),
        ("RevealAnswer", std::mem::size_of::<i::RevealAnswer<'static>>()),
        ("Claim", std::mem::size_of::<i::Claim<'static>>()),
        ("CloseTask", std::mem::size_of::<i::CloseTask<'static>>()),
        ("OpenDispute", std::mem::size_of::<i::OpenDispute<'static>>()),
        ("CastVote", std::mem::size_of::<i::CastVote<'static>>()),
        ("ResolveDispute", std::mem::size_of::<i::ResolveDispute<'static>>()),
    ];
    for (name, bytes) in sizes {
        outln!("| {name} | {bytes} |");
    }
    print!("{}", REPORT.lock().unwrap());
    Ok(())
}

fn bench_args() -> CreateTaskArgs {
    CreateTaskArgs {
        task_id: 1,
        spec_hash: [0; 32],
        spec_uri: String::new(),
        answers_required: 32,
        quorum: 17,
        reward_per_answer: 50_000,
        stake_per_answer: 500_000,
        no_quorum_bps: 5_000,
        commit_deadline: 1,
        reveal_deadline: 2,
    }
}
