//! Every state change emits its event, with the values an indexer needs, read back from the
//! transaction logs as an indexer would (on the native and the SBF build alike).
use pob_cli::ix::{self, Opener};
use proof_of_brain::events::*;
use proof_of_brain::logic::commitment::answer_hash;
use proof_of_brain::logic::settlement::Settlement;
use proof_of_brain::ProtocolUpdate;
use proof_of_brain_tests::*;
use solana_sdk::signature::Signer;

#[tokio::test]
async fn every_instruction_emits_its_event() {
    let mut env = TestEnv::new().await;
    let authority = env.authority.insecure_clone();
    let (payer, usdc) = (env.payer(), env.usdc);
    assert!(env.events::<ProtocolInitialized>().iter().any(|e| e.authority == authority.pubkey()));
    assert!(env
        .events::<MintAllowed>()
        .iter()
        .any(|e| e.mint == usdc.mint && e.vault == usdc.vault() && e.limits == default_limits()));

    let update = ProtocolUpdate { fee_bps: Some(300), ..Default::default() };
    env.execute(&[ix::update_protocol(&authority.pubkey(), update)], &[&authority]).await;
    assert!(env
        .events::<ProtocolUpdated>()
        .iter()
        .any(|e| e.authority == authority.pubkey() && e.params.fee_bps == 300));

    let member = env.member(MEMBER_WEIGHT).await;
    assert!(env
        .events::<MemberAdded>()
        .iter()
        .any(|e| e.wallet == member.pubkey() && e.weight == MEMBER_WEIGHT && e.kind == 0));
    env.warp_by(1).await;

    // Workers, a task, a dispute, settlement.
    let (requester, task, workers) = env.finalized_task(&[b"cat", b"cat", b"dog"]).await;
    let worker = workers[0].pubkey();
    assert!(env.events::<WorkerRegistered>().iter().any(|e| e.wallet == worker));
    assert!(env.events::<BalanceOpened>().iter().any(|e| e.wallet == worker && e.mint == usdc.mint));
    assert!(env
        .events::<Deposited>()
        .iter()
        .any(|e| e.wallet == worker && e.amount == USDC && e.free == USDC));
    let created: Vec<_> =
        env.events::<TaskCreated>().into_iter().filter(|e| e.task == task.address).collect();
    assert_eq!(created.len(), 1);
    assert_eq!(
        (created[0].requester, created[0].answers_required, created[0].quorum),
        (requester.pubkey(), 3, 2)
    );
    assert_eq!(created[0].deposit, 153_750 + 750, "3 x 0.05 + 3% fee, rounded up");
    assert_eq!((created[0].spec_uri.as_str(), created[0].gold_sealed), ("ipfs://bafy-task-spec", false));
    let commits: Vec<u8> = env
        .events::<AnswerCommitted>()
        .into_iter()
        .filter(|e| e.task == task.address)
        .map(|e| e.committed)
        .collect();
    assert_eq!(commits, [1, 2, 3]);
    let reveals = env.events::<AnswerRevealed>().into_iter().filter(|e| e.task == task.address).count();
    assert_eq!(reveals, 3);
    let finalized: Vec<_> =
        env.events::<TaskFinalized>().into_iter().filter(|e| e.task == task.address).collect();
    assert_eq!(finalized.len(), 1);
    assert_eq!(finalized[0].outcome, Some(answer_hash(b"cat")));

    env.execute(&[ix::open_dispute(Opener::Requester(requester.pubkey()), &task, [5; 32])], &[&requester])
        .await;
    let opened: Vec<_> =
        env.events::<DisputeOpened>().into_iter().filter(|e| e.task == task.address).collect();
    assert_eq!((opened.len(), opened[0].bond, opened[0].reason_hash), (1, DISPUTE_BOND, [5; 32]));
    assert_eq!((opened[0].total_weight_snapshot, opened[0].min_vote_weight_snapshot), (MEMBER_WEIGHT, 300));
    env.vote(&member, &task, 1).await;
    assert!(env
        .events::<VoteCast>()
        .iter()
        .any(|e| e.task == task.address && e.choice == 1 && e.weight == MEMBER_WEIGHT));
    let deadline = env.now() + VOTE_WINDOW;
    env.warp_to(deadline).await;
    env.resolve(&task, &requester.pubkey()).await;
    let resolved: Vec<_> =
        env.events::<DisputeResolved>().into_iter().filter(|e| e.task == task.address).collect();
    // 100 weight < min_vote_weight 300: the outcome stands and the bond is forfeited.
    assert_eq!(
        (resolved[0].outcome, resolved[0].changed, resolved[0].bond_returned),
        (Some(answer_hash(b"cat")), false, false)
    );

    for w in &workers {
        env.claim(&task, &w.pubkey()).await;
    }
    let settled: Vec<_> =
        env.events::<SubmissionSettled>().into_iter().filter(|e| e.task == task.address).collect();
    let kinds: Vec<(Settlement, u64)> = settled.iter().map(|e| (e.settlement, e.paid)).collect();
    assert_eq!(
        kinds,
        [(Settlement::Agreed, 50_000), (Settlement::Agreed, 50_000), (Settlement::Disagreed, 0)]
    );
    env.close(&task).await;
    let closed: Vec<_> = env.events::<TaskClosed>().into_iter().filter(|e| e.task == task.address).collect();
    assert_eq!(
        (closed[0].rewards_paid, closed[0].fee, closed[0].bond_forfeited),
        (100_000, 3_000, DISPUTE_BOND)
    );
    env.execute(&[ix::close_vote(&task.address, &member.pubkey())], &[]).await;

    // Cancel, withdrawals, membership and governance events.
    let args = env.task_args();
    let open = env.create_task(&requester, args).await;
    env.execute(&[ix::cancel_task(&open)], &[&requester]).await;
    assert!(env.events::<TaskCancelled>().iter().any(|e| e.task == open.address && e.refund == 257_500));
    env.withdraw(&workers[0], 1).await;
    assert!(env
        .events::<Withdrawn>()
        .iter()
        .any(|e| e.wallet == worker && e.amount == 1 && e.destination == usdc.ata(&worker)));
    let treasury = env.treasury.insecure_clone();
    env.mint_to(usdc, &treasury.pubkey(), 0).await;
    env.execute(
        &[ix::withdraw_fees(&treasury.pubkey(), usdc, &usdc.ata(&treasury.pubkey()), 1)],
        &[&treasury],
    )
    .await;
    assert!(env.events::<FeesWithdrawn>().iter().any(|e| e.mint == usdc.mint && e.amount == 1));
    env.execute(&[ix::set_member_weight(&authority.pubkey(), &member.pubkey(), 5)], &[&authority]).await;
    assert!(env.events::<MemberWeightChanged>().iter().any(|e| e.wallet == member.pubkey() && e.weight == 5));
    env.execute(&[ix::remove_member(&authority.pubkey(), &member.pubkey(), &payer, None)], &[&authority])
        .await;
    assert!(env.events::<MemberRemoved>().iter().any(|e| e.wallet == member.pubkey() && e.by_authority));
    let next = env.user(0).await;
    env.execute(&[ix::propose_authority(&authority.pubkey(), Some(next.pubkey()))], &[&authority]).await;
    env.execute(&[ix::accept_authority(&next.pubkey())], &[&next]).await;
    assert!(env.events::<AuthorityProposed>().iter().any(|e| e.pending_authority == next.pubkey()));
    assert!(env
        .events::<AuthorityAccepted>()
        .iter()
        .any(|e| e.previous_authority == authority.pubkey() && e.authority == next.pubkey()));
    env.execute(&[ix::disable_mint(&next.pubkey(), &usdc.mint)], &[&next]).await;
    assert!(env.events::<MintDisabled>().iter().any(|e| e.mint == usdc.mint));
}

#[tokio::test]
async fn gold_and_chamber_events() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let mut args = env.task_args();
    args.answers_required = 1;
    args.quorum = 1;
    let task = env.task_ref(&requester.pubkey(), &args);
    let seal = proof_of_brain::logic::commitment::gold_seal(
        &task.address.to_bytes(),
        &answer_hash(b"yes"),
        &[3; 32],
    );
    args.gold_seal = Some(seal);
    env.create_task(&requester, args).await;
    let worker = env.worker(USDC).await;
    env.commit(&worker, &task, b"yes").await;
    env.reveal(&worker, &task, b"yes").await;
    env.finalize(&task).await;
    env.execute(&[ix::reveal_gold(&task, answer_hash(b"yes"), [3; 32])], &[&requester]).await;
    assert!(env
        .events::<GoldRevealed>()
        .iter()
        .any(|e| e.task == task.address && e.answer_hash == answer_hash(b"yes")));
    env.warp_by(DISPUTE_WINDOW).await;
    env.claim(&task, &worker.pubkey()).await;
    let settled = env.events::<SubmissionSettled>();
    assert_eq!(settled.last().map(|e| e.gold_passed), Some(Some(true)));

    // Join the chamber (needs 10 USDC earned), leave, release.
    let big = env.requester(20 * USDC).await;
    let mut args = env.task_args();
    args.answers_required = 1;
    args.quorum = 1;
    args.reward_per_answer = 10 * USDC;
    let rich = env.create_task(&big, args).await;
    env.commit(&worker, &rich, b"yes").await;
    env.reveal(&worker, &rich, b"yes").await;
    env.finalize(&rich).await;
    env.warp_by(DISPUTE_WINDOW).await;
    env.claim(&rich, &worker.pubkey()).await;
    let mint = env.usdc.mint;
    let key = worker.pubkey();
    env.execute(&[ix::join_worker_chamber(&key, &mint, 5 * USDC)], &[&worker]).await;
    assert!(env.events::<MemberAdded>().iter().any(|e| e.wallet == key && e.kind == 1 && e.weight == 5));
    env.execute(&[ix::leave_membership(&key, &key, Some(&mint))], &[&worker]).await;
    env.warp_by(VOTE_WINDOW).await;
    env.execute(&[ix::release_chamber_stake(&key, &mint)], &[&worker]).await;
    assert!(env.events::<ChamberStakeReleased>().iter().any(|e| e.wallet == key && e.amount == 5 * USDC));
}
