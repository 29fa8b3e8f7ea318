//! Quality a requester can trust: sealed gold answers grade workers (and never change their pay),
//! qualifications keep unproven workers off a task, and every requester has a public record.
use anchor_lang::solana_program::instruction::Instruction;
use pob_cli::ix::{self, Opener, TaskRef};
use proof_of_brain::logic::commitment::{answer_hash, gold_seal};
use proof_of_brain::state::{Qualification, GOLD_REVEALED};
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

const GOLD_SALT: [u8; 32] = [42; 32];

/// A 3-answer task whose requester sealed `gold` as the known answer; `answers` committed and
/// revealed by three new workers; finalized.
async fn gold_task(env: &mut TestEnv, gold: &[u8], answers: [&[u8]; 3]) -> (Keypair, TaskRef, Vec<Keypair>) {
    let requester = env.requester(10 * USDC).await;
    let mut args = env.task_args();
    args.answers_required = 3;
    args.quorum = 2;
    let task = env.task_ref(&requester.pubkey(), &args);
    args.gold_seal = Some(gold_seal(&task.address.to_bytes(), &answer_hash(gold), &GOLD_SALT));
    env.create_task(&requester, args).await;
    let mut workers = Vec::new();
    for answer in answers {
        let worker = env.worker(USDC).await;
        env.commit(&worker, &task, answer).await;
        workers.push(worker);
    }
    for (worker, answer) in workers.iter().zip(answers) {
        env.reveal(worker, &task, answer).await;
    }
    env.finalize(&task).await;
    (requester, task, workers)
}

fn reveal_gold_ix(task: &TaskRef, answer: &[u8], salt: [u8; 32]) -> Instruction {
    ix::reveal_gold(task, answer_hash(answer), salt)
}

#[tokio::test]
async fn gold_grades_the_revealers_and_never_changes_pay() {
    let mut env = TestEnv::new().await;
    // The quorum ("cat") disagrees with the gold answer ("dog"): the gold never moves money, so
    // the majority is paid all the same; only their records learn they missed the gold.
    let (requester, task, workers) = gold_task(&mut env, b"dog", [b"cat", b"cat", b"dog"]).await;
    env.execute(&[reveal_gold_ix(&task, b"dog", GOLD_SALT)], &[&requester]).await;
    let stored = env.task(&task).await;
    assert_eq!((stored.gold_state, stored.gold_answer), (GOLD_REVEALED, answer_hash(b"dog")));
    env.warp_by(DISPUTE_WINDOW).await;
    for worker in &workers {
        env.claim(&task, &worker.pubkey()).await;
    }
    env.close(&task).await;
    let pay: Vec<u64> = {
        let mut pay = Vec::new();
        for worker in &workers {
            pay.push(env.free(&worker.pubkey()).await - USDC);
        }
        pay
    };
    assert_eq!(pay, [50_000, 50_000, 0], "pay follows the quorum, not the gold");
    for (worker, (passed, failed)) in workers.iter().zip([(0, 1), (0, 1), (1, 0)]) {
        let record = env.worker_record(&worker.pubkey()).await;
        assert_eq!((record.gold_passed, record.gold_failed), (passed, failed));
    }
    let record = env.requester_record(&requester.pubkey()).await;
    assert_eq!((record.gold_sealed, record.gold_revealed, record.gold_unrevealed), (1, 1, 0));
    let events = env.events::<proof_of_brain::events::SubmissionSettled>();
    let graded: Vec<Option<bool>> =
        events.iter().filter(|e| e.task == task.address).map(|e| e.gold_passed).collect();
    assert_eq!(graded, [Some(false), Some(false), Some(true)]);
    env.assert_books_balance().await;
}

#[tokio::test]
async fn pay_is_the_same_with_and_without_gold() {
    // The same answers on a task without gold pay exactly the same amounts.
    let mut env = TestEnv::new().await;
    let (requester, task, workers) = gold_task(&mut env, b"dog", [b"cat", b"cat", b"dog"]).await;
    env.execute(&[reveal_gold_ix(&task, b"dog", GOLD_SALT)], &[&requester]).await;
    let (_, plain, plain_workers) = env.finalized_task(&[b"cat", b"cat", b"dog"]).await;
    env.warp_by(DISPUTE_WINDOW).await;
    for (a, b) in workers.iter().zip(&plain_workers) {
        env.claim(&task, &a.pubkey()).await;
        env.claim(&plain, &b.pubkey()).await;
        assert_eq!(env.free(&a.pubkey()).await, env.free(&b.pubkey()).await);
    }
}

#[tokio::test]
async fn an_unrevealed_gold_answer_counts_against_the_requester() {
    let mut env = TestEnv::new().await;
    let (requester, task, workers) = gold_task(&mut env, b"cat", [b"cat", b"cat", b"cat"]).await;
    env.warp_by(DISPUTE_WINDOW).await;
    // Too late: the dispute window is over, claims are open.
    env.expect_error(
        &[reveal_gold_ix(&task, b"cat", GOLD_SALT)],
        &[&requester],
        PobError::GoldRevealWindowClosed,
    )
    .await;
    for worker in &workers {
        env.claim(&task, &worker.pubkey()).await;
        let record = env.worker_record(&worker.pubkey()).await;
        assert_eq!((record.gold_passed, record.gold_failed), (0, 0), "no gold, no grade");
    }
    env.close(&task).await;
    let record = env.requester_record(&requester.pubkey()).await;
    assert_eq!((record.gold_sealed, record.gold_revealed, record.gold_unrevealed), (1, 0, 1));
}

#[tokio::test]
async fn reveal_gold_rejections() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    // Before finalize: the gold would sway the reveals.
    let mut args = env.task_args();
    let open = env.task_ref(&requester.pubkey(), &args);
    args.gold_seal = Some(gold_seal(&open.address.to_bytes(), &answer_hash(b"cat"), &GOLD_SALT));
    env.create_task(&requester, args).await;
    env.expect_error(
        &[reveal_gold_ix(&open, b"cat", GOLD_SALT)],
        &[&requester],
        PobError::GoldRevealWindowClosed,
    )
    .await;

    let (requester, task, _) = gold_task(&mut env, b"cat", [b"cat", b"cat", b"dog"]).await;
    env.expect_error(&[reveal_gold_ix(&task, b"dog", GOLD_SALT)], &[&requester], PobError::GoldMismatch)
        .await;
    env.expect_error(&[reveal_gold_ix(&task, b"cat", [1; 32])], &[&requester], PobError::GoldMismatch).await;
    // Only the requester reveals it.
    let stranger = env.requester(0).await;
    let forged = with_account(reveal_gold_ix(&task, b"cat", GOLD_SALT), &task.requester, &stranger.pubkey());
    env.expect_error(&[forged], &[&stranger], PobError::NotTheRequester).await;
    env.execute(&[reveal_gold_ix(&task, b"cat", GOLD_SALT)], &[&requester]).await;
    env.expect_error(
        &[reveal_gold_ix(&task, b"cat", GOLD_SALT)],
        &[&requester],
        PobError::GoldAlreadyRevealed,
    )
    .await;
    // A task without gold.
    let (plain_requester, plain, _) = env.finalized_task(&[b"a", b"a", b"b"]).await;
    env.expect_error(&[reveal_gold_ix(&plain, b"a", GOLD_SALT)], &[&plain_requester], PobError::NoGoldSealed)
        .await;
}

#[tokio::test]
async fn gold_can_be_revealed_while_the_task_is_disputed() {
    let mut env = TestEnv::new().await;
    let (requester, task, _) = gold_task(&mut env, b"cat", [b"cat", b"cat", b"dog"]).await;
    let usdc = env.usdc;
    env.mint_to(usdc, &requester.pubkey(), DISPUTE_BOND).await;
    env.deposit(&requester, DISPUTE_BOND).await;
    env.execute(&[ix::open_dispute(Opener::Requester(requester.pubkey()), &task, [0; 32])], &[&requester])
        .await;
    env.warp_by(DISPUTE_WINDOW).await;
    env.execute(&[reveal_gold_ix(&task, b"cat", GOLD_SALT)], &[&requester]).await;
    assert_eq!(env.task(&task).await.gold_state, GOLD_REVEALED);
}

/// A worker with a given record: `agreed` answers agreeing with the quorum, `disagreed` not.
async fn seasoned_worker(env: &mut TestEnv, agreed: u32, disagreed: u32) -> Keypair {
    let worker = env.worker(USDC).await;
    for agrees in
        std::iter::repeat_n(true, agreed as usize).chain(std::iter::repeat_n(false, disagreed as usize))
    {
        let (task, others) = {
            let requester = env.requester(USDC).await;
            let mut args = env.task_args();
            args.answers_required = 3;
            args.quorum = 2;
            let task = env.create_task(&requester, args).await;
            (task, [env.worker(USDC).await, env.worker(USDC).await])
        };
        for other in &others {
            env.commit(other, &task, b"majority").await;
        }
        let answer: &[u8] = if agrees { b"majority" } else { b"minority" };
        env.commit(&worker, &task, answer).await;
        for other in &others {
            env.reveal(other, &task, b"majority").await;
        }
        env.reveal(&worker, &task, answer).await;
        env.finalize(&task).await;
        env.warp_by(DISPUTE_WINDOW).await;
        env.claim(&task, &worker.pubkey()).await;
    }
    worker
}

#[tokio::test]
async fn qualifications_refuse_workers_below_them() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let newcomer = env.worker(USDC).await;
    let seasoned = seasoned_worker(&mut env, 3, 1).await; // 3 agreed, 75% agreement, no gold
    let usdc = env.usdc;
    env.mint_to(usdc, &seasoned.pubkey(), 5 * USDC).await;
    env.deposit(&seasoned, 5 * USDC).await;
    let record = env.worker_record(&seasoned.pubkey()).await;
    assert_eq!((record.answers_agreed, record.answers_disagreed), (3, 1));

    let commit = |env: &TestEnv, task: &TaskRef, worker: &Keypair| {
        let _ = env;
        ix::commit_answer(&worker.pubkey(), task, commitment_for(task, &worker.pubkey(), b"yes"))
    };
    for (qualification, admits_seasoned, code) in [
        (
            Qualification { min_agreed_answers: 3, ..Default::default() },
            true,
            PobError::BelowMinAgreedAnswers,
        ),
        (
            Qualification { min_agreed_answers: 4, ..Default::default() },
            false,
            PobError::BelowMinAgreedAnswers,
        ),
        (
            Qualification { min_agreement_bps: 7_500, ..Default::default() },
            true,
            PobError::BelowMinAgreementRate,
        ),
        (
            Qualification { min_agreement_bps: 7_501, ..Default::default() },
            false,
            PobError::BelowMinAgreementRate,
        ),
        (
            Qualification { min_gold_accuracy_bps: 1, ..Default::default() },
            false,
            PobError::BelowMinGoldAccuracy,
        ),
    ] {
        let mut args = env.task_args();
        args.qualification = qualification;
        let task = env.create_task(&requester, args).await;
        // A newcomer has no history: every positive minimum refuses them.
        let newcomer_commit = commit(&env, &task, &newcomer);
        env.expect_error(&[newcomer_commit], &[&newcomer], code).await;
        let seasoned_commit = commit(&env, &task, &seasoned);
        if admits_seasoned {
            env.execute(&[seasoned_commit], &[&seasoned]).await;
        } else {
            env.expect_error(&[seasoned_commit], &[&seasoned], code).await;
        }
    }
}

#[tokio::test]
async fn the_requester_record_counts_what_a_worker_wants_to_know() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(20 * USDC).await;
    // One task cancelled.
    let args = env.task_args();
    let cancelled = env.create_task(&requester, args).await;
    env.execute(&[ix::cancel_task(&cancelled)], &[&requester]).await;
    // One task closed with 2 answers paid and a dispute the requester lost.
    let mut args = env.task_args();
    args.answers_required = 3;
    args.quorum = 2;
    let task = env.create_task(&requester, args).await;
    let workers = [env.worker(USDC).await, env.worker(USDC).await, env.worker(USDC).await];
    for (worker, answer) in workers.iter().zip([b"a", b"a", b"b"]) {
        env.commit(worker, &task, answer).await;
    }
    for (worker, answer) in workers.iter().zip([b"a", b"a", b"b"]) {
        env.reveal(worker, &task, answer).await;
    }
    env.finalize(&task).await;
    env.execute(&[ix::open_dispute(Opener::Requester(requester.pubkey()), &task, [0; 32])], &[&requester])
        .await;
    let deadline =
        env.state::<proof_of_brain::state::Dispute>(pob_cli::pda::dispute(&task.address)).await.vote_deadline;
    env.warp_to(deadline).await;
    env.resolve(&task, &requester.pubkey()).await; // nobody voted: the outcome stands, bond lost
    for worker in &workers {
        env.claim(&task, &worker.pubkey()).await;
    }
    env.close(&task).await;
    let record = env.requester_record(&requester.pubkey()).await;
    assert_eq!(
        (record.tasks_posted, record.tasks_cancelled, record.tasks_closed, record.answers_paid),
        (2, 1, 1, 2)
    );
    assert_eq!((record.disputes_opened, record.disputes_won, record.disputes_lost), (1, 0, 1));
}
