//! `pob demo`: a full task story on a fresh embedded ledger, printed step by step.
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use anchor_lang::prelude::Pubkey;
use anyhow::{ensure, Context, Result};
use proof_of_brain::logic::commitment::{answer_commitment, answer_hash};
use proof_of_brain::state::{Stake, Task};
use proof_of_brain::CreateTaskArgs;
use rand::RngCore;
use solana_sdk::signature::{Keypair, Signer};

use crate::amount::format_amount;
use crate::embedded::EmbeddedBank;
use crate::ix::{self, MintRef, TaskRef};
use crate::pda;

const DECIMALS: u8 = 6;
const USDC: u64 = 1_000_000;
const SOL: u64 = 1_000_000_000;
const HOUR: i64 = 3600;
const ANSWERS: [&str; 5] = ["yes", "yes", "yes", "no", "yes"];
/// The fifth worker commits but never reveals.
const SILENT_WORKER: usize = 4;

/// What the story ended with, in base units, for callers that check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub deposit: u64,
    /// Per worker: (reward received, stake left).
    pub workers: Vec<(u64, u64)>,
    pub fee: u64,
    pub refund: u64,
    /// The disputed second task: what each worker was paid once members overturned the quorum.
    pub disputed_paid: Vec<u64>,
}

fn usdc(amount: u64) -> String {
    format_amount(amount, DECIMALS)
}

fn bank_error(err: solana_program_test::BanksClientError) -> anyhow::Error {
    anyhow::anyhow!("transaction failed: {err}")
}

/// Runs the story, writing it to `out`.
pub async fn run(out: &mut impl Write) -> Result<DemoSummary> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;
    let mut bank = EmbeddedBank::start(now).await;
    let payer = bank.payer();
    writeln!(out, "Proof of Brain demo: a fresh embedded ledger (the program in a local Solana bank,")?;
    writeln!(out, "with the real SPL Token program). Amounts in test USDC (6 decimals).\n")?;

    // 1. Protocol and mint.
    let (authority, treasury, mint_authority) = (Keypair::new(), Keypair::new(), Keypair::new());
    bank.airdrop(&authority.pubkey(), SOL).await.map_err(bank_error)?;
    let usdc_mint = bank
        .create_mint(&mint_authority.pubkey(), DECIMALS, &anchor_spl::token::ID)
        .await
        .map_err(bank_error)?;
    let params = crate::defaults::protocol_params(treasury.pubkey());
    let (min_reward, min_stake) = (USDC / 100, USDC / 10);
    bank.send(
        &[
            ix::initialize_protocol(&payer, authority.pubkey(), params),
            ix::allow_mint(&payer, &authority.pubkey(), usdc_mint, min_reward, min_stake, USDC),
        ],
        &[&authority],
    )
    .await
    .map_err(bank_error)?;
    writeln!(
        out,
        "1. Protocol initialised: fee 2.5% of rewards paid, dispute window 1 day. USDC allowed with a\n   wage floor of {} per answer and a minimum stake of {}.",
        usdc(min_reward),
        usdc(min_stake)
    )?;

    // 2. The requester posts a task.
    let requester = funded_wallet(&mut bank, usdc_mint, &mint_authority, 10 * USDC).await?;
    let spec = b"Is there a cat in image #4812? Answer yes or no.";
    let args = five_answer_task(1, spec, "ipfs://demo/cat-4812.json", now);
    let task = TaskRef::new(requester.pubkey(), args.task_id, usdc_mint);
    let requester_ata = usdc_mint.ata(&requester.pubkey());
    bank.send(
        &[ix::create_task(&requester.pubkey(), usdc_mint, &requester_ata, args.clone())],
        &[&requester],
    )
    .await
    .map_err(bank_error)?;
    let deposit = bank.token_balance(task.vault()).await;
    writeln!(
        out,
        "2. A requester posts task {}:\n   \"{}\"\n   5 answers, quorum 3, reward {} each, stake {} each. Escrowed: {} (rewards + 2.5% fee).",
        task.address,
        String::from_utf8_lossy(spec),
        usdc(args.reward_per_answer),
        usdc(args.stake_per_answer),
        usdc(deposit)
    )?;

    // 3. Workers stake.
    let mut workers = Vec::new();
    for _ in 0..ANSWERS.len() {
        let worker = funded_wallet(&mut bank, usdc_mint, &mint_authority, USDC).await?;
        let key = worker.pubkey();
        bank.send(
            &[ix::register_worker(&key), ix::stake(&key, usdc_mint, &usdc_mint.ata(&key), USDC)],
            &[&worker],
        )
        .await
        .map_err(bank_error)?;
        workers.push(worker);
    }
    writeln!(out, "3. Five workers register and stake {} each.", usdc(USDC))?;

    // 4. Commit salted answers.
    let secrets = commit_all(&mut bank, &task, &workers, &ANSWERS).await?;
    writeln!(
        out,
        "4. Each worker commits sha256(answer + random salt): answers stay hidden until all are in.\n   (Answers behind the hashes: {}.)",
        ANSWERS.join(", ")
    )?;

    // 5. Reveal (all slots filled, so reveals open at once); one worker stays silent.
    for (i, (worker, &(hash, salt))) in workers.iter().zip(&secrets).enumerate() {
        if i == SILENT_WORKER {
            continue;
        }
        bank.send(&[ix::reveal_answer(&worker.pubkey(), &task.address, hash, salt)], &[worker])
            .await
            .map_err(bank_error)?;
    }
    bank.warp_to(now + 2 * HOUR).await;
    writeln!(out, "5. Four workers reveal; worker 5 never does. The reveal deadline passes (clock +2h).")?;

    // 6. Finalize.
    bank.send(&[ix::finalize_task(&task.address)], &[]).await.map_err(bank_error)?;
    let finalized: Task = bank.program_account(task.address).await.context("task account")?;
    ensure!(finalized.outcome == Some(answer_hash(b"yes")), "the quorum answer should be \"yes\"");
    writeln!(
        out,
        "6. Anyone finalizes: 3 of 5 revealed \"yes\", quorum reached. Dispute window opens for 1 day."
    )?;

    // 7. Claims and close, by a crank.
    bank.warp_to(finalized.dispute_deadline).await;
    for worker in &workers {
        bank.send(&[ix::claim(&payer, &task, &worker.pubkey())], &[]).await.map_err(bank_error)?;
    }
    let requester_before_close = bank.token_balance(requester_ata).await;
    bank.send(&[ix::close_task(&payer, &task, &treasury.pubkey())], &[]).await.map_err(bank_error)?;
    writeln!(out, "7. The window ends (clock +1d). A crank settles every submission and closes the task.\n")?;

    // Summary.
    let mut summary =
        DemoSummary { deposit, workers: Vec::new(), fee: 0, refund: 0, disputed_paid: Vec::new() };
    writeln!(out, "| who        | answer   | settlement              | paid     | stake after |")?;
    writeln!(out, "|------------|----------|-------------------------|----------|-------------|")?;
    for (i, (worker, answer)) in workers.iter().zip(ANSWERS).enumerate() {
        let paid = bank.token_balance(usdc_mint.ata(&worker.pubkey())).await;
        let stake: Stake = bank
            .program_account(pda::stake(&worker.pubkey(), &usdc_mint.mint))
            .await
            .context("stake account")?;
        let settlement = match (i == SILENT_WORKER, answer == "yes") {
            (true, _) => "never revealed: slashed",
            (false, true) => "agreed: paid",
            (false, false) => "disagreed: stake back",
        };
        let shown = if i == SILENT_WORKER { "(hidden)" } else { answer };
        writeln!(
            out,
            "| worker {}   | {:<8} | {:<23} | {} | {}    |",
            i + 1,
            shown,
            settlement,
            usdc(paid),
            usdc(stake.amount)
        )?;
        summary.workers.push((paid, stake.amount));
    }
    summary.fee = bank.token_balance(usdc_mint.ata(&treasury.pubkey())).await;
    summary.refund = bank.token_balance(requester_ata).await - requester_before_close;
    writeln!(
        out,
        "| treasury   |          | protocol fee            | {} |             |",
        usdc(summary.fee)
    )?;
    writeln!(
        out,
        "| requester  |          | refund incl. slash      | {} |             |",
        usdc(summary.refund)
    )?;

    // Every token is accounted for: deposit + slashed stake = rewards + fee + refund.
    let rewards: u64 = summary.workers.iter().map(|(paid, _)| paid).sum();
    let slashed = USDC - summary.workers[SILENT_WORKER].1;
    ensure!(deposit + slashed == rewards + summary.fee + summary.refund, "tokens do not add up");
    ensure!(bank.account(task.address).await.is_none(), "the task account should be closed");
    writeln!(
        out,
        "\nDeposit {} + slashed stake {} = rewards {} + fee {} + refund {}. Task and escrow closed, rent returned.",
        usdc(deposit),
        usdc(slashed),
        usdc(rewards),
        usdc(summary.fee),
        usdc(summary.refund)
    )?;

    let story = Story { payer, authority: &authority, treasury: treasury.pubkey(), mint: usdc_mint };
    summary.disputed_paid = story.disputed_task(&mut bank, out, &requester, &workers).await?;
    Ok(summary)
}

/// What the second part of the story shares with the first.
struct Story<'a> {
    payer: Pubkey,
    authority: &'a Keypair,
    treasury: Pubkey,
    mint: MintRef,
}

impl Story<'_> {
    /// Part two: the quorum answers "no", the requester disputes, DAO members vote "yes" and
    /// overturn it. Returns what each worker was paid.
    async fn disputed_task(
        &self,
        bank: &mut EmbeddedBank,
        out: &mut impl Write,
        requester: &Keypair,
        workers: &[Keypair],
    ) -> Result<Vec<u64>> {
        const ANSWERS: [&str; 5] = ["no", "no", "no", "yes", "yes"];
        let (payer, mint) = (self.payer, self.mint);
        let now = bank.now();
        let spec = b"Is the chatbot's answer 'Canberra is the capital of Australia' correct? yes/no";
        let args = five_answer_task(2, spec, "ipfs://demo/chatbot-77.json", now);
        let task = TaskRef::new(requester.pubkey(), args.task_id, mint);
        let requester_ata = mint.ata(&requester.pubkey());
        bank.send(&[ix::create_task(&requester.pubkey(), mint, &requester_ata, args)], &[requester])
            .await
            .map_err(bank_error)?;
        writeln!(out, "\nPart 2: a disputed result.")?;
        writeln!(
            out,
            "8. The requester posts task {}:\n   \"{}\"",
            task.address,
            String::from_utf8_lossy(spec)
        )?;

        let secrets = commit_all(bank, &task, workers, &ANSWERS).await?;
        for (worker, (hash, salt)) in workers.iter().zip(&secrets) {
            bank.send(&[ix::reveal_answer(&worker.pubkey(), &task.address, *hash, *salt)], &[worker])
                .await
                .map_err(bank_error)?;
        }
        bank.send(&[ix::finalize_task(&task.address)], &[]).await.map_err(bank_error)?;
        writeln!(
            out,
            "9. The same five workers commit and reveal: {}. Quorum: \"no\" (3 of 5).",
            ANSWERS.join(", ")
        )?;

        let mut members = Vec::new();
        for _ in 0..3 {
            let member = Keypair::new();
            bank.airdrop(&member.pubkey(), SOL).await.map_err(bank_error)?;
            let add = ix::add_member(&payer, &self.authority.pubkey(), member.pubkey(), 1);
            bank.send(&[add], &[self.authority]).await.map_err(bank_error)?;
            members.push(member);
        }
        let usdc_before_dispute = bank.token_balance(requester_ata).await;
        let evidence = answer_hash(b"Canberra is Australia's capital: see the constitution, section 125.");
        bank.send(&[ix::open_dispute(&requester.pubkey(), &task, &requester_ata, evidence)], &[requester])
            .await
            .map_err(bank_error)?;
        writeln!(
            out,
            "10. The protocol authority has appointed three DAO members. The requester disputes the result,\n    posting a bond of {} and the hash of their evidence.",
            usdc(USDC)
        )?;

        // Candidates, in reveal order: 0 = "no", 1 = "yes", 2 = Void.
        for (member, choice) in members.iter().zip([1u8, 1]) {
            bank.send(&[ix::cast_vote(&member.pubkey(), &task.address, choice)], &[member])
                .await
                .map_err(bank_error)?;
        }
        bank.send(&[ix::resolve_dispute(&payer, &task, &requester.pubkey(), &self.treasury)], &[])
            .await
            .map_err(bank_error)?;
        let resolved: Task = bank.program_account(task.address).await.context("task account")?;
        ensure!(resolved.outcome == Some(answer_hash(b"yes")), "the members' answer should win");
        ensure!(bank.token_balance(requester_ata).await == usdc_before_dispute, "the bond should come back");
        writeln!(
            out,
            "11. Two of three members vote \"yes\": a majority of all member weight, so anyone resolves the\n    dispute at once. The outcome becomes \"yes\", the bond returns to the requester, claims open."
        )?;

        let mut balances_before = Vec::new();
        for worker in workers {
            balances_before.push(bank.token_balance(mint.ata(&worker.pubkey())).await);
        }
        for worker in workers {
            bank.send(&[ix::claim(&payer, &task, &worker.pubkey())], &[]).await.map_err(bank_error)?;
        }
        bank.send(&[ix::close_task(&payer, &task, &self.treasury)], &[]).await.map_err(bank_error)?;
        for member in &members[..2] {
            bank.send(&[ix::close_vote(&task.address, &member.pubkey())], &[]).await.map_err(bank_error)?;
        }
        writeln!(
            out,
            "12. A crank settles and closes the task, and returns the votes' rent to the members.\n"
        )?;

        writeln!(out, "| who        | answer   | settlement              | paid     |")?;
        writeln!(out, "|------------|----------|-------------------------|----------|")?;
        let mut paid = Vec::new();
        for (i, (worker, answer)) in workers.iter().zip(ANSWERS).enumerate() {
            let earned = bank.token_balance(mint.ata(&worker.pubkey())).await - balances_before[i];
            let settlement = if answer == "yes" { "agreed after the vote" } else { "overturned: stake back" };
            writeln!(out, "| worker {}   | {:<8} | {:<23} | {} |", i + 1, answer, settlement, usdc(earned))?;
            paid.push(earned);
        }
        Ok(paid)
    }
}

/// The terms both demo tasks use: 5 answers, quorum 3, 0.05 reward, 0.50 stake, 50% without
/// quorum, one hour to commit and one to reveal.
fn five_answer_task(task_id: u64, spec: &[u8], spec_uri: &str, now: i64) -> CreateTaskArgs {
    CreateTaskArgs {
        task_id,
        spec_hash: answer_hash(spec),
        spec_uri: spec_uri.into(),
        answers_required: 5,
        quorum: 3,
        reward_per_answer: 50_000,
        stake_per_answer: 500_000,
        no_quorum_bps: 5_000,
        commit_deadline: now + HOUR,
        reveal_deadline: now + 2 * HOUR,
    }
}

/// Each worker commits its answer with a fresh random salt, as a real client does; returns the
/// (answer hash, salt) pairs each worker must keep to reveal.
async fn commit_all(
    bank: &mut EmbeddedBank,
    task: &TaskRef,
    workers: &[Keypair],
    answers: &[&str],
) -> Result<Vec<([u8; 32], [u8; 32])>> {
    let mut secrets = Vec::new();
    for (worker, answer) in workers.iter().zip(answers) {
        let mut salt = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut salt);
        let hash = answer_hash(answer.as_bytes());
        let commitment =
            answer_commitment(&task.address.to_bytes(), &worker.pubkey().to_bytes(), &hash, &salt);
        bank.send(&[ix::commit_answer(&worker.pubkey(), task, commitment)], &[worker])
            .await
            .map_err(bank_error)?;
        secrets.push((hash, salt));
    }
    Ok(secrets)
}

/// A wallet with 1 SOL and `amount` test USDC.
async fn funded_wallet(
    bank: &mut EmbeddedBank,
    mint: MintRef,
    mint_authority: &Keypair,
    amount: u64,
) -> Result<Keypair> {
    let wallet = Keypair::new();
    bank.airdrop(&wallet.pubkey(), SOL).await.map_err(bank_error)?;
    bank.mint_to(mint, mint_authority, &wallet.pubkey(), amount).await.map_err(bank_error)?;
    Ok(wallet)
}

/// The summary as a report, for `pob demo --output json`.
pub fn report(summary: &DemoSummary) -> crate::output::Report {
    let workers: Vec<_> = summary
        .workers
        .iter()
        .zip(&summary.disputed_paid)
        .enumerate()
        .map(|(i, ((paid, stake), disputed))| {
            serde_json::json!({
                "worker": i + 1,
                "reward": usdc(*paid),
                "stake_left": usdc(*stake),
                "disputed_task_paid": usdc(*disputed),
            })
        })
        .collect();
    crate::output::Report::new("Proof of Brain demo")
        .field("deposit", usdc(summary.deposit))
        .field("fee", usdc(summary.fee))
        .field("refund", usdc(summary.refund))
        .field("workers", workers)
}
