//! `pob demo`: a full task story on a fresh embedded ledger, printed step by step. It signs as
//! every participant, with the same salts, specs and canonical answers the commands use.
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use anchor_lang::{Discriminator, ZeroCopy};
use anyhow::{ensure, Context, Result};
use proof_of_brain::events::{DisputeResolved, SubmissionSettled, TaskClosed};
use proof_of_brain::logic::commitment::{answer_commitment, gold_seal};
use proof_of_brain::logic::settlement::Settlement;
use proof_of_brain::state::{Balance, FeeBalance};
use proof_of_brain::{CreateTaskArgs, Qualification};
use solana_sdk::signature::{Keypair, Signer};

use crate::accounts::{read_state, OwnedTask};
use crate::amount::format_amount;
use crate::backend::HistoryTx;
use crate::commands::task::{result_row, to_csv, TaskHistory};
use crate::embedded::EmbeddedBank;
use crate::ix::{self, MintRef, Opener, OwnAccount, TaskRef};
use crate::output::{money, Report};
use crate::pda;
use crate::salt;
use crate::spec::{answer_hash, spec_hash, TaskSpec};

const DECIMALS: u8 = 6;
const USDC: u64 = 1_000_000;
const SOL: u64 = 1_000_000_000;
const HOUR: u32 = 3600;
const REWARD: u64 = 50_000;
const STAKE: u64 = 500_000;

const CAT_SPEC: &str = r#"{
  "version": 1,
  "prompt": "What animal is in this photo?",
  "item": {"uri": "https://example.org/photos/4812.jpg", "media_type": "image/jpeg"},
  "answer": {"kind": "choice", "labels": ["cat", "dog", "neither"]}
}"#;
/// What the five workers type: spacing and case differ, the label is the same.
const CAT_ANSWERS: [&str; 5] = ["cat", " Cat", "CAT ", "dog", "cat"];
/// The fifth worker commits but never reveals.
const SILENT_WORKER: usize = 4;

const CHATBOT_SPEC: &str = r#"{
  "version": 1,
  "prompt": "Is the chatbot's answer correct?",
  "item": {"text": "Q: What is the capital of Australia?\nA: Canberra."},
  "answer": {"kind": "choice", "labels": ["yes", "no"]}
}"#;
const CHATBOT_ANSWERS: [&str; 5] = ["no", "no", "no", "yes", "yes"];

/// What the story ended with, in base units, for callers that check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub deposit: u64,
    /// Per worker of the first task: (reward credited, stake slashed).
    pub workers: Vec<(u64, u64)>,
    pub fee: u64,
    pub refund: u64,
    pub stake_slashed: u64,
    /// Per worker, what they withdrew to their token account at the end.
    pub withdrawn: Vec<u64>,
    /// The disputed second task: what each worker was paid once members overturned the quorum.
    pub disputed_paid: Vec<u64>,
}

fn usdc(amount: u64) -> String {
    format_amount(amount, DECIMALS)
}

fn bank_error(err: solana_program_test::BanksClientError) -> anyhow::Error {
    anyhow::anyhow!("transaction failed: {err}")
}

/// The bank, the mint and the protocol's keys, shared by both parts of the story.
struct Demo {
    bank: EmbeddedBank,
    mint: MintRef,
    mint_authority: Keypair,
    authority: Keypair,
}

impl Demo {
    async fn send(
        &mut self,
        ixs: &[anchor_lang::solana_program::instruction::Instruction],
        signers: &[&Keypair],
    ) -> Result<()> {
        self.bank.send(ixs, signers).await.map_err(bank_error)
    }

    async fn state<T: ZeroCopy + Discriminator>(
        &mut self,
        address: &anchor_lang::prelude::Pubkey,
    ) -> Result<T> {
        let account = self.bank.account(*address).await.with_context(|| format!("account {address}"))?;
        read_state(&account.data).with_context(|| format!("account {address} is not what the demo expects"))
    }

    async fn task(&mut self, task: &TaskRef) -> Result<OwnedTask> {
        let account = self.bank.account(task.address).await.context("the task account")?;
        OwnedTask::parse(&account.data).context("a task")
    }

    async fn own_account(
        &mut self,
        wallet: &Keypair,
        account: OwnAccount,
    ) -> Result<Vec<anchor_lang::solana_program::instruction::Instruction>> {
        let rent = self.bank.rent_exempt_minimum(account.space()).await;
        Ok(ix::create_own_account(&wallet.pubkey(), account, rent, 0))
    }

    /// A wallet with 1 SOL and `amount` test USDC in its token account.
    async fn wallet(&mut self, amount: u64) -> Result<Keypair> {
        let wallet = Keypair::new();
        self.bank.airdrop(&wallet.pubkey(), SOL).await.map_err(bank_error)?;
        let (mint, authority) = (self.mint, self.mint_authority.insecure_clone());
        self.bank.mint_to(mint, &authority, &wallet.pubkey(), amount).await.map_err(bank_error)?;
        Ok(wallet)
    }

    async fn balance(&mut self, wallet: &Keypair) -> Result<Balance> {
        self.state(&pda::balance(&wallet.pubkey(), &self.mint.mint)).await
    }

    /// Creates a task from `spec`, 5 answers, quorum 3, with `gold` sealed by the requester.
    async fn post(
        &mut self,
        requester: &Keypair,
        task_id: u64,
        spec: &str,
        gold: Option<&str>,
    ) -> Result<TaskRef> {
        let task = TaskRef::new(requester.pubkey(), task_id, self.mint);
        let gold_seal = gold.map(|gold| {
            let salt = salt::gold_salt(requester, &task.address);
            gold_seal(&task.address.to_bytes(), &answer_hash(gold), &salt)
        });
        let args = CreateTaskArgs {
            task_id,
            spec_hash: spec_hash(spec.as_bytes()),
            spec_uri: format!("https://example.org/specs/{task_id}.json"),
            answers_required: 5,
            quorum: 3,
            reward_per_answer: REWARD,
            stake_per_answer: STAKE,
            no_quorum_bps: 5_000,
            commit_window_secs: HOUR,
            reveal_window_secs: HOUR,
            qualification: Qualification::default(),
            gold_seal,
        };
        let mut ixs =
            if task_id == 1 { self.own_account(requester, OwnAccount::Requester).await? } else { Vec::new() };
        ixs.push(ix::create_task(&requester.pubkey(), &self.mint.mint, args));
        self.send(&ixs, &[requester]).await?;
        Ok(task)
    }

    /// Each worker commits its answer, canonicalised by the spec and salted by its wallet.
    async fn commit_all(
        &mut self,
        task: &TaskRef,
        spec: &TaskSpec,
        workers: &[Keypair],
        typed: &[&str],
    ) -> Result<Vec<String>> {
        let mut answers = Vec::new();
        for (worker, typed) in workers.iter().zip(typed) {
            let answer = spec.canonical_answer(typed).map_err(|err| anyhow::anyhow!("{err}"))?;
            let salt = salt::answer_salt(worker, &task.address);
            let commitment = answer_commitment(
                &task.address.to_bytes(),
                &worker.pubkey().to_bytes(),
                &answer_hash(&answer),
                &salt,
            );
            self.send(&[ix::commit_answer(&worker.pubkey(), task, commitment)], &[worker]).await?;
            answers.push(answer);
        }
        Ok(answers)
    }

    async fn reveal(&mut self, task: &TaskRef, worker: &Keypair, answer: &str) -> Result<()> {
        let salt = salt::answer_salt(worker, &task.address);
        self.send(&[ix::reveal_answer(&worker.pubkey(), &task.address, answer_hash(answer), salt)], &[worker])
            .await
    }

    /// A crank settles every submission and closes the task; returns the close's split.
    async fn settle(&mut self, task: &TaskRef, workers: &[Keypair]) -> Result<TaskClosed> {
        let claims: Vec<_> = workers.iter().map(|worker| ix::claim(task, &worker.pubkey())).collect();
        self.send(&claims, &[]).await?;
        self.send(&[ix::close_task(task)], &[]).await?;
        self.bank
            .events::<TaskClosed>()
            .into_iter()
            .rev()
            .find(|closed| closed.task == task.address)
            .context("TaskClosed")
    }

    fn settlements(&self, task: &TaskRef) -> Vec<SubmissionSettled> {
        self.bank
            .events::<SubmissionSettled>()
            .into_iter()
            .filter(|settled| settled.task == task.address)
            .collect()
    }
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
    let mint = bank
        .create_mint(&mint_authority.pubkey(), DECIMALS, &anchor_spl::token::ID)
        .await
        .map_err(bank_error)?;
    let mut demo = Demo { bank, mint, mint_authority, authority };
    let limits = crate::defaults::mint_limits(DECIMALS);
    let authority_key = demo.authority.pubkey();
    let setup = [
        ix::initialize_protocol(&payer, authority_key, crate::defaults::protocol_params(treasury.pubkey())),
        ix::allow_mint(&payer, &authority_key, mint, limits),
    ];
    let authority = demo.authority.insecure_clone();
    demo.send(&setup, &[&authority]).await?;
    writeln!(
        out,
        "1. Protocol initialised: fee 2.5% of rewards paid, dispute window 1 day. USDC allowed with a\n   wage floor of {} per answer and a least stake of {}.",
        usdc(limits.min_reward_per_answer),
        usdc(limits.min_stake_per_answer)
    )?;

    // 2. The requester deposits and posts a task with a sealed gold answer.
    let requester = demo.wallet(10 * USDC).await?;
    let requester_ata = mint.ata(&requester.pubkey());
    demo.send(
        &[
            ix::open_balance(&requester.pubkey(), &mint.mint),
            ix::deposit(&requester.pubkey(), mint, &requester_ata, 10 * USDC),
        ],
        &[&requester],
    )
    .await?;
    let spec = TaskSpec::parse(CAT_SPEC.as_bytes()).map_err(|err| anyhow::anyhow!("{err}"))?;
    let task = demo.post(&requester, 1, CAT_SPEC, Some("cat")).await?;
    let deposit = demo.task(&task).await?.deposit;
    writeln!(
        out,
        "2. A requester deposits {} into its balance and posts task {}:\n   \"{}\" (labels: {}), its spec's sha256 on-chain.\n   5 answers, quorum 3, reward {} each, stake {} each, a sealed gold answer.\n   Escrowed from its balance: {} (rewards + 2.5% fee).",
        usdc(10 * USDC),
        task.address,
        spec.prompt,
        spec.labels().join(", "),
        usdc(REWARD),
        usdc(STAKE),
        usdc(deposit)
    )?;

    // 3. Workers register, deposit and commit.
    let mut workers = Vec::new();
    for _ in 0..CAT_ANSWERS.len() {
        let worker = demo.wallet(USDC).await?;
        let key = worker.pubkey();
        let mut ixs = demo.own_account(&worker, OwnAccount::Worker).await?;
        ixs.extend([
            ix::register_worker(&key),
            ix::open_balance(&key, &mint.mint),
            ix::deposit(&key, mint, &mint.ata(&key), USDC),
        ]);
        demo.send(&ixs, &[&worker]).await?;
        workers.push(worker);
    }
    let answers = demo.commit_all(&task, &spec, &workers, &CAT_ANSWERS).await?;
    let typed: Vec<String> = CAT_ANSWERS.iter().map(|typed| format!("{typed:?}")).collect();
    writeln!(
        out,
        "3. Five workers register, deposit {} each, and commit sha256(task, wallet, answer, salt):\n   the answers stay hidden until all are in. They typed {}:\n   each is the label \"cat\" or \"dog\" once case and spacing are folded. Each salt is derived from the worker's wallet\n   signature, so nothing needs keeping to reveal.",
        usdc(USDC),
        typed.join(", ")
    )?;

    // 4. Reveals; one worker stays silent.
    for (i, (worker, answer)) in workers.iter().zip(&answers).enumerate() {
        if i != SILENT_WORKER {
            demo.reveal(&task, worker, answer).await?;
        }
    }
    demo.bank.warp_to(now + 2 * i64::from(HOUR)).await;
    writeln!(out, "4. Four workers reveal; worker 5 never does. The reveal deadline passes (clock +2h).")?;

    // 5. Finalize and reveal the gold answer.
    demo.send(&[ix::finalize_task(&task.address)], &[]).await?;
    let finalized = demo.task(&task).await?;
    ensure!(finalized.outcome() == Some(answer_hash("cat")), "the quorum answer should be \"cat\"");
    let gold_salt = salt::gold_salt(&requester, &task.address);
    demo.send(&[ix::reveal_gold(&task, answer_hash("cat"), gold_salt)], &[&requester]).await?;
    writeln!(
        out,
        "5. Anyone finalizes: 3 of 4 revealed \"cat\", quorum reached. The requester reveals its gold\n   answer, \"cat\", which grades the workers' records (never their pay). Dispute window: 1 day."
    )?;

    // 6. Claims credit balances; the close splits the rest.
    demo.bank.warp_to(finalized.dispute_deadline).await;
    let closed = demo.settle(&task, &workers).await?;
    writeln!(
        out,
        "6. The window ends (clock +1d). A crank settles every submission into the workers' balances\n   and closes the task. Nobody's token account is touched, so nobody can block anyone's pay.\n"
    )?;

    let settlements = demo.settlements(&task);
    let mut summary = DemoSummary {
        deposit,
        workers: Vec::new(),
        fee: closed.fee,
        refund: closed.refund,
        stake_slashed: closed.stake_slashed,
        withdrawn: Vec::new(),
        disputed_paid: Vec::new(),
    };
    writeln!(out, "| who        | typed    | settlement              | paid     | slashed  | gold   |")?;
    writeln!(out, "|------------|----------|-------------------------|----------|----------|--------|")?;
    for (i, worker) in workers.iter().enumerate() {
        let settled =
            settlements.iter().find(|s| s.worker == worker.pubkey()).context("every worker settled")?;
        let settlement = match settled.settlement {
            Settlement::Agreed => "agreed: paid",
            Settlement::Disagreed => "disagreed: stake back",
            Settlement::NoQuorum => "no quorum: part paid",
            Settlement::Unrevealed => "never revealed: slashed",
        };
        let gold = match settled.gold_passed {
            Some(true) => "passed",
            Some(false) => "failed",
            None => "-",
        };
        let shown = if i == SILENT_WORKER { "(hidden)".to_string() } else { format!("{:?}", CAT_ANSWERS[i]) };
        writeln!(
            out,
            "| worker {}   | {:<8} | {:<23} | {} | {} | {:<6} |",
            i + 1,
            shown,
            settlement,
            usdc(settled.paid),
            usdc(settled.slashed),
            gold
        )?;
        summary.workers.push((settled.paid, settled.slashed));
    }
    let fees: FeeBalance = demo.state(&pda::fee_balance(&mint.mint)).await?;
    writeln!(
        out,
        "| protocol   |          | fee + slashed stake     | {} |          |        |",
        usdc(closed.fee + closed.stake_slashed)
    )?;
    writeln!(
        out,
        "| requester  |          | unspent, to its balance | {} |          |        |",
        usdc(closed.refund)
    )?;
    let rewards: u64 = summary.workers.iter().map(|(paid, _)| paid).sum();
    ensure!(rewards == closed.rewards_paid, "the rewards paid should add up");
    ensure!(deposit == rewards + closed.fee + closed.refund, "deposit = rewards + fee + refund");
    ensure!(
        fees.accrued == closed.fee + closed.stake_slashed,
        "the protocol holds the fee and the slashed stake"
    );
    ensure!(demo.bank.account(task.address).await.is_none(), "the task account should be closed");
    writeln!(
        out,
        "\nDeposit {} = rewards {} + fee {} + unspent {}. The silent worker's slashed stake, {},\ngoes to the protocol, not the requester (who could otherwise profit from workers failing).\nTask closed, rent returned.",
        usdc(deposit),
        usdc(rewards),
        usdc(closed.fee),
        usdc(closed.refund),
        usdc(closed.stake_slashed)
    )?;

    // 7. Withdrawals: each worker moves its free balance to its own token account.
    for worker in &workers {
        let free = demo.balance(worker).await?.free;
        let key = worker.pubkey();
        demo.send(&[ix::withdraw(&key, mint, &mint.ata(&key), free)], &[worker]).await?;
        summary.withdrawn.push(free);
    }
    let withdrawn: Vec<String> = summary.withdrawn.iter().map(|amount| usdc(*amount)).collect();
    writeln!(
        out,
        "7. Each worker withdraws its free balance to its own token account: {}.",
        withdrawn.join(", ")
    )?;

    let (disputed_paid, disputed) = disputed_task(&mut demo, out, &requester, &workers).await?;
    summary.disputed_paid = disputed_paid;

    // The dataset, rebuilt from the chain as `pob task results` does.
    let mut rows = Vec::new();
    for (task, spec) in [(&task, CAT_SPEC), (&disputed, CHATBOT_SPEC)] {
        let txs: Vec<HistoryTx> =
            demo.bank.history_of(&task.address).into_iter().map(HistoryTx::from).collect();
        let history = TaskHistory::from_transactions(&task.address, &txs);
        let spec = TaskSpec::parse(spec.as_bytes()).map_err(|err| anyhow::anyhow!("{err}"))?;
        rows.push(result_row(&task.address, &history, None, Some(&spec)));
    }
    ensure!(rows[0]["label"] == "cat" && rows[1]["label"] == "yes", "the results carry the labels");
    writeln!(out, "\nThe results, as `pob task results TASK... --out results.csv` writes them:\n")?;
    write!(out, "{}", to_csv(&rows))?;
    Ok(summary)
}

/// Part two: the quorum answers "no", the requester disputes, DAO members vote "yes" and
/// overturn it. Returns what each worker was paid.
async fn disputed_task(
    demo: &mut Demo,
    out: &mut impl Write,
    requester: &Keypair,
    workers: &[Keypair],
) -> Result<(Vec<u64>, TaskRef)> {
    let spec = TaskSpec::parse(CHATBOT_SPEC.as_bytes()).map_err(|err| anyhow::anyhow!("{err}"))?;
    // Members are appointed before the dispute: weight added later would not count.
    let mut members = Vec::new();
    let authority = demo.authority.insecure_clone();
    for _ in 0..3 {
        let member = Keypair::new();
        demo.bank.airdrop(&member.pubkey(), SOL).await.map_err(bank_error)?;
        let add = ix::add_member(
            &authority.pubkey(),
            &authority.pubkey(),
            member.pubkey(),
            crate::defaults::MEMBER_WEIGHT,
        );
        demo.send(&[add], &[&authority]).await?;
        members.push(member);
    }
    // Weight counts only if it predates a dispute, so let a minute pass.
    let later = demo.bank.now() + 60;
    demo.bank.warp_to(later).await;
    let task = demo.post(requester, 2, CHATBOT_SPEC, None).await?;
    writeln!(out, "\nPart 2: a disputed result.")?;
    writeln!(
        out,
        "8. The protocol authority has appointed three DAO members (weight {} each). The requester\n   posts task {}:\n   \"{}\" ({:?})",
        crate::defaults::MEMBER_WEIGHT,
        task.address,
        spec.prompt,
        match &spec.item {
            crate::spec::Item::Text { text } => text.clone(),
            crate::spec::Item::Uri { uri, .. } => uri.clone(),
        }
    )?;
    for worker in workers {
        let free = demo.balance(worker).await?.free;
        if free < STAKE {
            let key = worker.pubkey();
            let (mint, authority) = (demo.mint, demo.mint_authority.insecure_clone());
            demo.bank.mint_to(mint, &authority, &key, STAKE).await.map_err(bank_error)?;
            demo.send(&[ix::deposit(&key, mint, &mint.ata(&key), STAKE)], &[worker]).await?;
        }
    }
    let answers = demo.commit_all(&task, &spec, workers, &CHATBOT_ANSWERS).await?;
    for (worker, answer) in workers.iter().zip(&answers) {
        demo.reveal(&task, worker, answer).await?;
    }
    demo.send(&[ix::finalize_task(&task.address)], &[]).await?;
    writeln!(
        out,
        "9. The same five workers commit and reveal: {}. Quorum: \"no\" (3 of 5).",
        CHATBOT_ANSWERS.join(", ")
    )?;

    let free_before = demo.balance(requester).await?.free;
    let evidence = answer_hash("Canberra is Australia's capital: see the constitution, section 125.");
    demo.send(&[ix::open_dispute(Opener::Requester(requester.pubkey()), &task, evidence)], &[requester])
        .await?;
    writeln!(
        out,
        "10. The requester disputes the result, posting a bond of {} from its balance and the hash of\n    its evidence.",
        usdc(crate::defaults::mint_limits(DECIMALS).dispute_bond)
    )?;

    // Candidates, in reveal order: 0 = "no", 1 = "yes", 2 = Void.
    let dispute = pda::dispute(&task.address);
    for (member, choice) in members.iter().zip([1u8, 1, 0]) {
        let mut ixs = demo.own_account(member, OwnAccount::Vote { dispute }).await?;
        ixs.push(ix::cast_vote(&member.pubkey(), &task.address, choice));
        demo.send(&ixs, &[member]).await?;
    }
    demo.send(&[ix::resolve_dispute(&task, Opener::Requester(requester.pubkey()))], &[]).await?;
    let resolved = demo.bank.events::<DisputeResolved>().into_iter().last().context("DisputeResolved")?;
    ensure!(resolved.outcome == Some(answer_hash("yes")), "the members' answer should win");
    ensure!(demo.balance(requester).await?.free == free_before, "the bond should come back");
    writeln!(
        out,
        "11. Two members vote \"yes\", one \"no\": every member voted and \"yes\" holds a majority of the\n    weight, so anyone resolves the dispute at once. The outcome becomes \"yes\", the bond returns\n    to the requester's balance, claims open."
    )?;

    demo.settle(&task, workers).await?;
    for member in &members {
        demo.send(&[ix::close_vote(&task.address, &member.pubkey())], &[]).await?;
    }
    writeln!(out, "12. A crank settles and closes the task, and returns the votes' rent to the members.\n")?;
    writeln!(out, "| who        | answer   | settlement              | paid     |")?;
    writeln!(out, "|------------|----------|-------------------------|----------|")?;
    let settlements = demo.settlements(&task);
    let mut paid = Vec::new();
    for (i, (worker, answer)) in workers.iter().zip(CHATBOT_ANSWERS).enumerate() {
        let settled =
            settlements.iter().find(|s| s.worker == worker.pubkey()).context("every worker settled")?;
        let settlement = if answer == "yes" { "agreed after the vote" } else { "overturned: stake back" };
        writeln!(
            out,
            "| worker {}   | {:<8} | {:<23} | {} |",
            i + 1,
            answer,
            settlement,
            usdc(settled.paid)
        )?;
        paid.push(settled.paid);
    }
    Ok((paid, task))
}

/// The summary as a report, for `pob demo --output json`.
pub fn report(summary: &DemoSummary) -> Report {
    let workers: Vec<_> = summary
        .workers
        .iter()
        .zip(&summary.withdrawn)
        .zip(&summary.disputed_paid)
        .enumerate()
        .map(|(i, (((paid, slashed), withdrawn), disputed))| {
            serde_json::json!({
                "worker": i + 1,
                "reward": money(*paid, DECIMALS),
                "stake_slashed": money(*slashed, DECIMALS),
                "withdrawn": money(*withdrawn, DECIMALS),
                "disputed_task_paid": money(*disputed, DECIMALS),
            })
        })
        .collect();
    Report::new("Proof of Brain demo")
        .field("deposit", money(summary.deposit, DECIMALS))
        .field("fee", money(summary.fee, DECIMALS))
        .field("refund", money(summary.refund, DECIMALS))
        .field("stake_slashed", money(summary.stake_slashed, DECIMALS))
        .field("workers", workers)
}
