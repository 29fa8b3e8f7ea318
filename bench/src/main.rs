//! `cargo run -p pob-bench`: runs every instruction of the program through realistic task
//! lifecycles on the embedded bank and prints what they cost: lamports per actor (fees and rent),
//! and, when the bank runs the real SBF program (`SBF_OUT_DIR=target/deploy`, after
//! `scripts/build-sbf.sh`), compute units per instruction against the budgets.
//!
//! `--write` also writes `docs/compute-units.json`; `--check` exits non-zero when an
//! instruction's median exceeds its budget (CI runs it on SBF).
use std::collections::BTreeMap;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anyhow::{bail, Context, Result};
use pob_cli::embedded::{EmbeddedBank, ProgramRuntime};
use pob_cli::ix::{self, MintRef, Opener, OwnAccount, TaskRef};
use pob_cli::pda;
use proof_of_brain::logic::commitment::{answer_commitment, answer_hash, gold_seal};
use proof_of_brain::{CreateTaskArgs, ProtocolUpdate, Qualification};
use solana_sdk::signature::{Keypair, Signer};

const USDC: u64 = 1_000_000;
const SOL: u64 = 1_000_000_000;
const LAMPORTS_PER_SIGNATURE: u64 = 5_000;
const HOUR: u32 = 3_600;
const WORKERS: usize = 5;
/// Tasks that run to the end: enough calls per instruction for a median, and rewards for a
/// worker to qualify for the chamber.
const TASKS: u64 = 6;
/// Disputed tasks.
const DISPUTES: u64 = 4;

/// Median compute units each instruction may use on SBF (issue 14): the named ones by number,
/// every other at most half of its cost before the v2 redesign.
const BUDGETS: [(&str, u64); 13] = [
    ("commit_answer", 12_000),
    ("reveal_answer", 8_000),
    ("claim", 15_000),
    ("create_task", 30_000),
    ("close_task", 30_000),
    ("finalize_task", 7_791 / 2),
    ("open_dispute", 46_480 / 2),
    ("cast_vote", 26_730 / 2),
    ("resolve_dispute", 72_488 / 2),
    ("update_protocol", 6_542 / 2),
    // Moving tokens in: the old `stake` (28,481) did the same transfer_checked CPI.
    ("deposit", 28_481 / 2),
    ("withdraw", 28_481 / 2),
    ("withdraw_fees", 28_481 / 2),
];

/// Anchor's published costs, for scale.
const ANCHOR_BASELINES: &str =
    "Anchor's published baselines: an instruction with one empty account 603 CU, `init` of an \
account 4,212, about 350 per extra account, an SPL `transfer_checked` CPI about 6,200.";

struct Bench {
    bank: EmbeddedBank,
    mint: MintRef,
    mint_authority: Keypair,
    /// Wallets made so far: each one's key is derived from its number, so every run uses the same
    /// addresses and PDA bump searches cost the same (the figures are reproducible).
    wallets: u64,
}

impl Bench {
    async fn send(&mut self, actor: &'static str, ixs: &[Instruction], signers: &[&Keypair]) -> Result<()> {
        let tx = self.bank.sign_paid_by(signers[0], ixs, signers).await;
        self.bank.process(tx).await.with_context(|| {
            format!("{actor}: {:?}", ixs.iter().map(|ix| ix::instruction_name(&ix.data)).collect::<Vec<_>>())
        })?;
        Ok(())
    }

    /// The lamports `wallets` hold together.
    async fn lamports(&mut self, wallets: &[&Keypair]) -> i64 {
        let mut total = 0;
        for wallet in wallets {
            total += self.bank.lamports(wallet.pubkey()).await as i64;
        }
        total
    }

    async fn wallet(&mut self, usdc: u64) -> Result<Keypair> {
        self.wallets += 1;
        let seed = solana_sha256_hasher::hashv(&[b"pob-bench-wallet", &self.wallets.to_le_bytes()]);
        let wallet = Keypair::new_from_array(seed.to_bytes());
        self.bank.airdrop(&wallet.pubkey(), SOL).await?;
        let (mint, authority) = (self.mint, self.mint_authority.insecure_clone());
        self.bank.mint_to(mint, &authority, &wallet.pubkey(), usdc).await?;
        Ok(wallet)
    }

    async fn own_account(&mut self, wallet: &Pubkey, account: OwnAccount) -> Vec<Instruction> {
        let rent = self.bank.rent_exempt_minimum(account.space()).await;
        ix::create_own_account(wallet, account, rent, 0)
    }

    fn task_args(task_id: u64, requester: &Keypair, gold: bool) -> CreateTaskArgs {
        let address = pda::task(&requester.pubkey(), task_id);
        let gold_seal = gold.then(|| gold_seal(&address.to_bytes(), &answer_hash(b"cat"), &[7; 32]));
        CreateTaskArgs {
            task_id,
            spec_hash: answer_hash(b"spec"),
            spec_uri: format!("https://example.org/specs/{task_id}.json"),
            answers_required: WORKERS as u8,
            quorum: 3,
            reward_per_answer: 2 * USDC,
            stake_per_answer: USDC / 2,
            no_quorum_bps: 5_000,
            commit_window_secs: HOUR,
            reveal_window_secs: HOUR,
            qualification: Qualification::default(),
            gold_seal,
        }
    }

    async fn commit_and_reveal(
        &mut self,
        task: &TaskRef,
        workers: &[Keypair],
        answers: &[&[u8]],
    ) -> Result<()> {
        for (worker, answer) in workers.iter().zip(answers) {
            let key = worker.pubkey();
            let commitment =
                answer_commitment(&task.address.to_bytes(), &key.to_bytes(), &answer_hash(answer), &[9; 32]);
            self.send("worker", &[ix::commit_answer(&key, task, commitment)], &[worker]).await?;
        }
        for (worker, answer) in workers.iter().zip(answers) {
            self.send(
                "worker",
                &[ix::reveal_answer(&worker.pubkey(), &task.address, answer_hash(answer), [9; 32])],
                &[worker],
            )
            .await?;
        }
        Ok(())
    }

    async fn settle(&mut self, crank: &Keypair, task: &TaskRef, workers: &[Keypair]) -> Result<()> {
        for worker in workers {
            self.send("crank", &[ix::claim(task, &worker.pubkey())], &[crank]).await?;
        }
        self.send("crank", &[ix::close_task(task)], &[crank]).await
    }
}

#[derive(Default)]
struct Stats {
    calls: Vec<u64>,
}

impl Stats {
    fn min(&self) -> u64 {
        self.calls.iter().copied().min().unwrap_or(0)
    }
    fn max(&self) -> u64 {
        self.calls.iter().copied().max().unwrap_or(0)
    }
    fn median(&self) -> u64 {
        let mut sorted = self.calls.clone();
        sorted.sort_unstable();
        sorted.get(sorted.len() / 2).copied().unwrap_or(0)
    }
}

fn sol(lamports: i64) -> String {
    let sign = if lamports < 0 { "-" } else { "" };
    let lamports = lamports.unsigned_abs();
    format!("{sign}{}.{:09}", lamports / SOL, lamports % SOL)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (write, check) = (args.iter().any(|a| a == "--write"), args.iter().any(|a| a == "--check"));
    let runtime = ProgramRuntime::from_env();
    let now = pob_cli::backend::wall_clock();
    let mut bank = EmbeddedBank::start(now).await;
    let mint_authority = Keypair::new();
    // The mint too is at a fixed address, so every figure is reproducible.
    let mint_key = Keypair::new_from_array(solana_sha256_hasher::hashv(&[b"pob-bench-mint"]).to_bytes());
    let mint = bank.create_mint_at(&mint_key, &mint_authority.pubkey(), 6, &anchor_spl::token::ID).await?;
    let mut bench = Bench { bank, mint, mint_authority, wallets: 0 };

    // Governance: every authority instruction once.
    let (authority, treasury, successor) =
        (bench.wallet(0).await?, bench.wallet(0).await?, bench.wallet(0).await?);
    let params = pob_cli::defaults::protocol_params(treasury.pubkey());
    bench
        .send(
            "authority",
            &[ix::initialize_protocol(&authority.pubkey(), authority.pubkey(), params)],
            &[&authority],
        )
        .await?;
    bench
        .send(
            "authority",
            &[ix::allow_mint(
                &authority.pubkey(),
                &authority.pubkey(),
                mint,
                pob_cli::defaults::mint_limits(6),
            )],
            &[&authority],
        )
        .await?;
    let update = ProtocolUpdate { fee_bps: Some(pob_cli::defaults::FEE_BPS), ..ProtocolUpdate::default() };
    bench.send("authority", &[ix::update_protocol(&authority.pubkey(), update)], &[&authority]).await?;
    bench
        .send(
            "authority",
            &[ix::propose_authority(&authority.pubkey(), Some(successor.pubkey()))],
            &[&authority],
        )
        .await?;
    bench.send("authority", &[ix::accept_authority(&successor.pubkey())], &[&successor]).await?;
    let authority = successor;
    let mut members = Vec::new();
    for _ in 0..4 {
        let member = bench.wallet(0).await?;
        let add = ix::add_member(
            &authority.pubkey(),
            &authority.pubkey(),
            member.pubkey(),
            pob_cli::defaults::MEMBER_WEIGHT,
        );
        bench.send("authority", &[add], &[&authority]).await?;
        members.push(member);
    }
    bench
        .send(
            "authority",
            &[ix::set_member_weight(&authority.pubkey(), &members[3].pubkey(), 50)],
            &[&authority],
        )
        .await?;

    // A requester and five workers fund their balances.
    let requester = bench.wallet(100 * USDC).await?;
    let key = requester.pubkey();
    let mut ixs = bench.own_account(&key, OwnAccount::Requester).await;
    ixs.extend([ix::open_balance(&key, &mint.mint), ix::deposit(&key, mint, &mint.ata(&key), 100 * USDC)]);
    bench.send("requester", &ixs, &[&requester]).await?;
    let mut workers = Vec::new();
    for _ in 0..WORKERS {
        let worker = bench.wallet(10 * USDC).await?;
        let key = worker.pubkey();
        let mut ixs = bench.own_account(&key, OwnAccount::Worker).await;
        ixs.extend([
            ix::register_worker(&key),
            ix::open_balance(&key, &mint.mint),
            ix::deposit(&key, mint, &mint.ata(&key), 10 * USDC),
        ]);
        bench.send("worker", &ixs, &[&worker]).await?;
        workers.push(worker);
    }
    let crank = bench.wallet(0).await?;
    let worker_refs: Vec<&Keypair> = workers.iter().collect();
    let before = [
        ("requester", bench.lamports(&[&requester]).await),
        ("worker (each)", bench.lamports(&worker_refs).await),
        ("crank", bench.lamports(&[&crank]).await),
    ];
    let mut peak_rent = 0u64;

    // Tasks to the end: commit, reveal, finalize, gold, claim, close.
    let answers: [&[u8]; WORKERS] = [b"cat", b"cat", b"cat", b"dog", b"cat"];
    for task_id in 0..TASKS {
        let args = Bench::task_args(task_id, &requester, true);
        let task = TaskRef::new(requester.pubkey(), task_id, mint);
        bench
            .send("requester", &[ix::create_task(&requester.pubkey(), &mint.mint, args)], &[&requester])
            .await?;
        bench.commit_and_reveal(&task, &workers, &answers).await?;
        let mut rent = bench.bank.lamports(task.address).await;
        for worker in &workers {
            rent += bench.bank.lamports(pda::submission(&task.address, &worker.pubkey())).await;
        }
        peak_rent = peak_rent.max(rent);
        bench.send("crank", &[ix::finalize_task(&task.address)], &[&crank]).await?;
        bench
            .send("requester", &[ix::reveal_gold(&task, answer_hash(b"cat"), [7; 32])], &[&requester])
            .await?;
        let deadline = bench.bank.now() + 86_400;
        bench.bank.warp_to(deadline).await;
        bench.settle(&crank, &task, &workers).await?;
    }
    let after = [
        bench.lamports(&[&requester]).await,
        bench.lamports(&worker_refs).await / WORKERS as i64,
        bench.lamports(&[&crank]).await,
    ];
    let per_task: Vec<(&str, i64)> = before
        .iter()
        .zip(after)
        .map(|((actor, before), after)| {
            let before = if *actor == "worker (each)" { before / WORKERS as i64 } else { *before };
            (*actor, (before - after) / TASKS as i64)
        })
        .collect();

    // A cancelled task, and a disputed one resolved by the members.
    let cancelled = TaskRef::new(requester.pubkey(), 100, mint);
    bench
        .send(
            "requester",
            &[ix::create_task(&requester.pubkey(), &mint.mint, Bench::task_args(100, &requester, false))],
            &[&requester],
        )
        .await?;
    bench.send("requester", &[ix::cancel_task(&cancelled)], &[&requester]).await?;
    // Disputed tasks, each overturned by the members (several, for a median).
    for task_id in 101..101 + DISPUTES {
        let disputed = TaskRef::new(requester.pubkey(), task_id, mint);
        bench
            .send(
                "requester",
                &[ix::create_task(
                    &requester.pubkey(),
                    &mint.mint,
                    Bench::task_args(task_id, &requester, false),
                )],
                &[&requester],
            )
            .await?;
        bench.commit_and_reveal(&disputed, &workers, &[b"dog", b"dog", b"dog", b"cat", b"cat"]).await?;
        bench.send("crank", &[ix::finalize_task(&disputed.address)], &[&crank]).await?;
        bench
            .send(
                "requester",
                &[ix::open_dispute(Opener::Requester(requester.pubkey()), &disputed, [1; 32])],
                &[&requester],
            )
            .await?;
        let dispute = pda::dispute(&disputed.address);
        for member in &members[..3] {
            let mut ixs = bench.own_account(&member.pubkey(), OwnAccount::Vote { dispute }).await;
            ixs.push(ix::cast_vote(&member.pubkey(), &disputed.address, 1));
            bench.send("member", &ixs, &[member]).await?;
        }
        bench
            .send(
                "crank",
                &[ix::resolve_dispute(&disputed, Opener::Requester(requester.pubkey()))],
                &[&crank],
            )
            .await?;
        for member in &members[..3] {
            bench.send("crank", &[ix::close_vote(&disputed.address, &member.pubkey())], &[&crank]).await?;
        }
        bench.settle(&crank, &disputed, &workers).await?;
    }

    // The worker chamber: join with earned rewards, leave, release after a vote window.
    let chamber = &workers[0];
    bench
        .send("worker", &[ix::join_worker_chamber(&chamber.pubkey(), &mint.mint, 2 * USDC)], &[chamber])
        .await?;
    bench
        .send(
            "worker",
            &[ix::leave_membership(&chamber.pubkey(), &chamber.pubkey(), Some(&mint.mint))],
            &[chamber],
        )
        .await?;
    let later = bench.bank.now() + i64::from(pob_cli::defaults::VOTE_WINDOW_SECS);
    bench.bank.warp_to(later).await;
    bench.send("worker", &[ix::release_chamber_stake(&chamber.pubkey(), &mint.mint)], &[chamber]).await?;
    let rent_payer = authority.pubkey();
    bench
        .send(
            "authority",
            &[ix::remove_member(&authority.pubkey(), &members[3].pubkey(), &rent_payer, None)],
            &[&authority],
        )
        .await?;

    // Everyone takes their money out; the mint is retired.
    for worker in &workers {
        let key = worker.pubkey();
        bench.send("worker", &[ix::withdraw(&key, mint, &mint.ata(&key), USDC)], &[worker]).await?;
    }
    let treasury_ata = mint.ata(&treasury.pubkey());
    let (mint_ref, mint_authority) = (bench.mint, bench.mint_authority.insecure_clone());
    bench.bank.mint_to(mint_ref, &mint_authority, &treasury.pubkey(), 0).await?;
    bench
        .send("treasury", &[ix::withdraw_fees(&treasury.pubkey(), mint, &treasury_ata, 1_000)], &[&treasury])
        .await?;
    bench.send("authority", &[ix::disable_mint(&authority.pubkey(), &mint.mint)], &[&authority]).await?;

    println!(
        "# Proof of Brain: measured costs ({} program)\n",
        match &runtime {
            ProgramRuntime::Native => "host-built",
            ProgramRuntime::Sbf { .. } => "SBF",
        }
    );
    println!("## Lamports per task, by actor ({WORKERS} answers, quorum 3, gold; fees at {LAMPORTS_PER_SIGNATURE} per signature)\n");
    println!("| actor | lamports spent per task, net of rent returned |");
    println!("|---|---|");
    for (actor, spent) in &per_task {
        println!("| {actor} | {spent} ({} SOL) |", sol(*spent));
    }
    println!(
        "\nRent held while a task runs (its account and {WORKERS} submissions): {} SOL, all returned (the task's to the \
         requester at close, each submission's to its worker at claim).\n",
        sol(peak_rent as i64)
    );

    // How many of each per-answer instruction fit one legacy transaction (1,232 bytes, 64
    // accounts) with one signer: a worker's commits or reveals on many tasks (`task commit
    // --batch`, `task reveal --all`), a crank's claims of one task's workers (`task claim --all`).
    let worker = workers[1].pubkey();
    let tasks: Vec<TaskRef> = (0..64).map(|id| TaskRef::new(requester.pubkey(), 1_000 + id, mint)).collect();
    let strangers: Vec<Pubkey> = (0..64).map(|_| Pubkey::new_unique()).collect();
    let batches: [(&str, Pubkey, Vec<Instruction>); 3] = [
        (
            "commit_answer",
            worker,
            tasks.iter().map(|task| ix::commit_answer(&worker, task, [1; 32])).collect(),
        ),
        (
            "reveal_answer",
            worker,
            tasks.iter().map(|task| ix::reveal_answer(&worker, &task.address, [1; 32], [2; 32])).collect(),
        ),
        ("claim", crank.pubkey(), strangers.iter().map(|stranger| ix::claim(&tasks[0], stranger)).collect()),
    ];
    println!("## Per answer: accounts and packing\n");
    println!("| instruction | accounts | per legacy transaction, one signer |");
    println!("|---|---|---|");
    for (name, payer, ixs) in &batches {
        let fit = (1..=ixs.len()).take_while(|n| pob_cli::session::fits(payer, &ixs[..*n])).count();
        println!("| {name} | {} | {fit} |", ixs[0].accounts.len());
    }
    println!(
        "\nFees per answer, unbatched: the worker's commit and reveal (10,000 lamports), its share of the \
         crank's finalize, claims and close ({} for {WORKERS} answers) and of the requester's create and gold \
         reveal.\n",
        per_task.iter().find(|(actor, _)| *actor == "crank").map_or(0, |(_, spent)| *spent)
    );

    let mut by_instruction: BTreeMap<&str, Stats> = BTreeMap::new();
    for (name, units) in bench.bank.compute_units() {
        by_instruction.entry(name).or_default().calls.push(*units);
    }
    let Some(ProgramRuntime::Sbf { so }) = Some(runtime) else {
        println!(
            "Compute units are only metered on the SBF program: build it with scripts/build-sbf.sh and run"
        );
        println!("`SBF_OUT_DIR=target/deploy cargo run -p pob-bench`.");
        if check {
            bail!("--check needs the SBF program (SBF_OUT_DIR)");
        }
        return Ok(());
    };
    let budgets: BTreeMap<&str, u64> = BUDGETS.into_iter().collect();
    println!("## Compute units per instruction (SBF v0, top-level, from the runtime's logs)\n");
    println!("| instruction | calls | min | median | max | budget (median) |");
    println!("|---|---|---|---|---|---|");
    let mut over = Vec::new();
    let mut json = serde_json::Map::new();
    for (name, stats) in &by_instruction {
        let budget = budgets.get(name).copied();
        let verdict = match budget {
            Some(budget) if stats.median() > budget => {
                over.push(format!("{name}: median {} > budget {budget}", stats.median()));
                format!("{budget} **over**")
            }
            Some(budget) => format!("{budget} ok"),
            None => "-".into(),
        };
        println!(
            "| {name} | {} | {} | {} | {} | {verdict} |",
            stats.calls.len(),
            stats.min(),
            stats.median(),
            stats.max()
        );
        json.insert(
            name.to_string(),
            serde_json::json!({"min": stats.min(), "median": stats.median(), "max": stats.max(), "calls": stats.calls.len(), "budget": budget}),
        );
    }
    let missing: Vec<&str> =
        ix::INSTRUCTION_NAMES.iter().copied().filter(|name| !by_instruction.contains_key(name)).collect();
    println!("\n{ANCHOR_BASELINES}");
    let bytes = std::fs::read(&so).with_context(|| format!("cannot read {}", so.display()))?;
    let sha256 = pob_cli::hex::encode(&solana_sha256_hasher::hash(&bytes).to_bytes());
    println!("\nProgram: {} bytes, sha256 {sha256}.", bytes.len());
    if write {
        let document = serde_json::json!({
            "program": {"path": "target/deploy/proof_of_brain.so", "bytes": bytes.len(), "sha256": sha256},
            "instructions": json,
        });
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/compute-units.json");
        std::fs::write(&path, format!("{document:#}\n"))
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("Wrote {}.", path.display());
    }
    if check {
        if !missing.is_empty() {
            bail!("the bench ran no {}: every instruction must be measured", missing.join(", "));
        }
        if bytes.len() > 1_200_000 {
            bail!("the program is {} bytes, over the 1.2 MB budget", bytes.len());
        }
        if !over.is_empty() {
            bail!("over budget:\n{}", over.join("\n"));
        }
        println!("Every instruction within its budget; the program within 1.2 MB.");
    }
    Ok(())
}
