//! Every state change emits its event, with the values an indexer needs, read back from the
//! transaction logs as an indexer would (on the native and the SBF build alike).
use pob_cli::ix;
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
        .any(|e| e.mint == usdc.mint && e.min_reward_per_answer == MIN_REWARD));

    let update = ProtocolUpdate { fee_bps: Some(300), ..Default::default() };
    env.execute(&[ix::update_protocol(&authority.pubkey(), update)], &[&authority]).await;
    assert!(env
        .events::<ProtocolUpdated>()
        .iter()
        .any(|e| e.authority == authority.pubkey() && e.params.fee_bps == 300));

    // Workers, a task, a dispute, settlement.
    let (requester, task, workers) = env.finalized_task(&[b"cat", b"cat", b"dog"]).await;
    let worker = workers[0].pubkey();
    assert!(env.events::<WorkerRegistered>().iter().any(|e| e.wallet == worker));
    assert!(env.events::<Staked>().iter().any(|e| e.wallet == worker && e.amount == USDC && e.total == USDC));
    let created: Vec<_> =
        env.events::<TaskCreated>().into_iter().filter(|e| e.task == task.address).collect();
    assert_eq!(created.len(), 1);
    assert_eq!(
        (created[0].requester, created[0].answers_required, created[0].quorum),
        (requester.pubkey(), 3, 2)
    );
    assert_eq!(created[0].deposit, 153_750 + 750, "3 x 0.05 + 3% fee, rounded up");
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

    let member = env.member(2).await;
    assert!(env.events::<MemberAdded>().iter().any(|e| e.wallet == member.pubkey() && e.weight == 2));
    let ata = usdc.ata(&requester.pubkey());
    env.execute(&[ix::open_dispute(&requester.pubkey(), &task, &ata, [5; 32])], &[&requester]).await;
    let opened: Vec<_> =
        env.events::<DisputeOpened>().into_iter().filter(|e| e.task == task.address).collect();
    assert_eq!((opened.len(), opened[0].bond, opened[0].reason_hash), (1, DISPUTE_BOND, [5; 32]));
    env.execute(&[ix::cast_vote(&member.pubkey(), &task.address, 1)], &[&member]).await;
    assert!(env
        .events::<VoteCast>()
        .iter()
        .any(|e| e.task == task.address && e.choice == 1 && e.weight == 2));
    let treasury = env.treasury;
    env.execute(&[ix::resolve_dispute(&payer, &task, &requester.pubkey(), &treasury)], &[]).await;
    let resolved: Vec<_> =
        env.events::<DisputeResolved>().into_iter().filter(|e| e.task == task.address).collect();
    assert_eq!((resolved[0].outcome, resolved[0].changed), (Some(answer_hash(b"dog")), true));

    for w in &workers {
        env.claim(&task, &w.pubkey()).await;
    }
    let settled: Vec<_> =
        env.events::<SubmissionSettled>().into_iter().filter(|e| e.task == task.address).collect();
    let kinds: Vec<(Settlement, u64)> = settled.iter().map(|e| (e.settlement, e.paid)).collect();
    assert_eq!(kinds, [(Settlement::Disagreed, 0), (Settlement::Disagreed, 0), (Settlement::Agreed, 50_000)]);
    env.close(&task).await;
    let closed: Vec<_> = env.events::<TaskClosed>().into_iter().filter(|e| e.task == task.address).collect();
    assert_eq!((closed[0].rewards_paid, closed[0].fee), (50_000, 1_500));

    // Cancel, unstake, membership and governance events.
    let args = env.task_args();
    let open = env.create_task(&requester, args).await;
    env.execute(&[ix::cancel_task(&open, &ata)], &[&requester]).await;
    assert!(env.events::<TaskCancelled>().iter().any(|e| e.task == open.address && e.refund == 257_500));
    env.execute(&[ix::unstake(&worker, usdc, &usdc.ata(&worker), 1)], &[&workers[0]]).await;
    assert!(env
        .events::<Unstaked>()
        .iter()
        .any(|e| e.wallet == worker && e.amount == 1 && e.total == USDC - 1));
    env.execute(&[ix::set_member_weight(&authority.pubkey(), &member.pubkey(), 5)], &[&authority]).await;
    assert!(env.events::<MemberWeightChanged>().iter().any(|e| e.wallet == member.pubkey() && e.weight == 5));
    env.execute(&[ix::remove_member(&authority.pubkey(), &member.pubkey(), &payer)], &[&authority]).await;
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
