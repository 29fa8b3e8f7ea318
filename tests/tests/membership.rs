//! DAO membership: appointed members, the stake-weighted worker chamber, a DAO program as the
//! authority, and a dispute court that costs what it protects: snapshots, weight that predates
//! the dispute, stake that stays locked.
use anchor_lang::error::ErrorCode as AnchorError;
use pob_cli::ix::{self, Opener, TaskRef};
use pob_cli::pda;
use proof_of_brain::state::{Member, MEMBER_APPOINTED, MEMBER_CHAMBER};
use proof_of_brain::ProtocolUpdate;
use proof_of_brain_tests::dao::{self, governance_pda};
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn the_authority_adds_reweights_and_removes_members() {
    let mut env = TestEnv::new().await;
    let (payer, authority) = (env.payer(), env.authority.insecure_clone());
    let alice = env.member(300).await;
    let bob = env.member(200).await;
    let member: Member = env.state(pda::member(&alice.pubkey())).await;
    assert_eq!(
        (member.wallet, member.weight, member.kind, member.rent_payer, member.active_since),
        (alice.pubkey(), 300, MEMBER_APPOINTED, payer, env.now())
    );
    assert_eq!(env.protocol().await.total_member_weight, 500);

    env.warp_by(10).await;
    env.execute(&[ix::set_member_weight(&authority.pubkey(), &alice.pubkey(), 700)], &[&authority]).await;
    let member: Member = env.state(pda::member(&alice.pubkey())).await;
    assert_eq!((member.weight, member.active_since), (700, env.now()), "new weight, from now on");
    assert_eq!(env.protocol().await.total_member_weight, 900);

    // A member whose rent a sponsor paid: removal returns the rent to the sponsor, exactly.
    let (sponsor, carol) = (env.user(0).await, env.user(0).await);
    let add = ix::add_member(&sponsor.pubkey(), &authority.pubkey(), carol.pubkey(), 100);
    env.execute(&[add], &[&sponsor, &authority]).await;
    let sponsor_lamports = env.lamports(sponsor.pubkey()).await;
    let member_rent = env.lamports(pda::member(&carol.pubkey())).await;
    env.execute(&[ix::remove_member(&authority.pubkey(), &bob.pubkey(), &payer, None)], &[&authority]).await;
    env.execute(
        &[ix::remove_member(&authority.pubkey(), &carol.pubkey(), &sponsor.pubkey(), None)],
        &[&authority],
    )
    .await;
    assert!(!env.exists(pda::member(&bob.pubkey())).await);
    assert!(!env.exists(pda::member(&carol.pubkey())).await);
    assert_eq!(env.lamports(sponsor.pubkey()).await, sponsor_lamports + member_rent);
    assert_eq!(env.protocol().await.total_member_weight, 700);

    // A member leaves by themselves.
    env.execute(&[ix::leave_membership(&alice.pubkey(), &payer, None)], &[&alice]).await;
    assert!(!env.exists(pda::member(&alice.pubkey())).await);
    assert_eq!(env.protocol().await.total_member_weight, 0);
}

#[tokio::test]
async fn member_management_rejections() {
    let mut env = TestEnv::new().await;
    let (payer, authority) = (env.payer(), env.authority.insecure_clone());
    let intruder = env.user(0).await;
    let alice = env.member(100).await;

    let add = ix::add_member(&payer, &intruder.pubkey(), intruder.pubkey(), 10);
    env.expect_error(&[add], &[&intruder], PobError::NotProtocolAuthority).await;
    let reweight = ix::set_member_weight(&intruder.pubkey(), &alice.pubkey(), 10);
    env.expect_error(&[reweight], &[&intruder], PobError::NotProtocolAuthority).await;
    let remove = ix::remove_member(&intruder.pubkey(), &alice.pubkey(), &payer, None);
    env.expect_error(&[remove], &[&intruder], PobError::NotProtocolAuthority).await;

    let zero = ix::add_member(&payer, &authority.pubkey(), intruder.pubkey(), 0);
    env.expect_error(&[zero], &[&authority], PobError::InvalidMemberWeight).await;
    let zero = ix::set_member_weight(&authority.pubkey(), &alice.pubkey(), 0);
    env.expect_error(&[zero], &[&authority], PobError::InvalidMemberWeight).await;
    let again = ix::add_member(&payer, &authority.pubkey(), alice.pubkey(), 1);
    env.expect_error(&[again], &[&authority], PobError::AlreadyMember).await;

    // The rent goes back to whoever paid it, not to someone the caller names.
    let redirected = ix::remove_member(&authority.pubkey(), &alice.pubkey(), &intruder.pubkey(), None);
    env.expect_error(&[redirected], &[&authority], PobError::WrongRecipient).await;
    // Someone else cannot make a member leave.
    let forced = with_account(
        ix::leave_membership(&alice.pubkey(), &payer, None),
        &alice.pubkey(),
        &intruder.pubkey(),
    );
    env.expect_error(&[forced], &[&intruder], PobError::NotAMember).await;
    // Without the member's signature.
    let unsigned = without_signature(ix::leave_membership(&alice.pubkey(), &payer, None), &alice.pubkey());
    env.expect_error(&[unsigned], &[], AnchorError::AccountNotSigner).await;
    assert_eq!(env.protocol().await.total_member_weight, 100);
}

#[tokio::test]
async fn a_dao_program_pda_governs_the_protocol() {
    let mut env = TestEnv::new().await;
    let old = env.authority.insecure_clone();
    let governance = governance_pda();

    // Two-step hand-over: the current authority proposes the PDA; the DAO accepts by executing
    // `accept_authority` through its program, which signs for the PDA.
    env.execute(&[ix::propose_authority(&old.pubkey(), Some(governance))], &[&old]).await;
    env.execute(&[dao::execute(ix::accept_authority(&governance))], &[]).await;
    assert_eq!(env.protocol().await.authority, governance);

    let member = env.user(0).await;
    let payer = env.payer();
    env.execute(&[dao::execute(ix::add_member(&payer, &governance, member.pubkey(), 400))], &[]).await;
    let stored: Member = env.state(pda::member(&member.pubkey())).await;
    assert_eq!(stored.weight, 400);
    assert_eq!(env.protocol().await.total_member_weight, 400);

    // The old keypair has no say any more, and nobody can act for the PDA without its program.
    let by_old = ix::add_member(&payer, &old.pubkey(), old.pubkey(), 1);
    env.expect_error(&[by_old], &[&old], PobError::NotProtocolAuthority).await;
    let unsigned = without_signature(ix::add_member(&payer, &governance, old.pubkey(), 1), &governance);
    env.expect_error(&[unsigned], &[], AnchorError::AccountNotSigner).await;
}

/// A worker who has earned `rewards` in the harness mint through one-answer tasks of `reward`
/// each, with `stake` more of free balance, and nothing else.
async fn earner(env: &mut TestEnv, rewards: u64, stake: u64) -> Keypair {
    let reward = 1_000_000; // 1 USDC per task
    let worker = env.worker(stake + MIN_STAKE).await;
    let requester = env.requester(rewards + rewards / 10).await;
    let mut earned = 0;
    while earned < rewards {
        let mut args = env.task_args();
        args.answers_required = 1;
        args.quorum = 1;
        args.reward_per_answer = reward.min(rewards - earned).max(MIN_REWARD);
        args.stake_per_answer = MIN_STAKE;
        let task = env.create_task(&requester, args).await;
        env.commit(&worker, &task, b"yes").await;
        env.reveal(&worker, &task, b"yes").await;
        env.finalize(&task).await;
        env.warp_by(DISPUTE_WINDOW).await;
        env.claim(&task, &worker.pubkey()).await;
        earned += reward.min(rewards - earned).max(MIN_REWARD);
    }
    // Keep exactly `stake` free: the rewards stay earned (the record counts them), the rest goes.
    let extra = env.free(&worker.pubkey()).await - stake;
    if extra > 0 {
        env.withdraw(&worker, extra).await;
    }
    worker
}

#[tokio::test]
async fn workers_who_earned_enough_join_the_chamber_with_weight_from_locked_stake() {
    let mut env = TestEnv::new().await;
    let usdc = env.usdc.mint;
    // Not enough rewards earned in this mint (10 USDC needed).
    let novice = env.worker(50 * USDC).await;
    let join = ix::join_worker_chamber(&novice.pubkey(), &usdc, 20 * USDC);
    env.expect_error(&[join], &[&novice], PobError::NotEnoughRewardsForChamber).await;

    let veteran = earner(&mut env, CHAMBER_MIN_REWARDS, 25 * USDC + 500_000).await;
    assert_eq!(env.balance_of(&veteran.pubkey()).await.rewards_earned, CHAMBER_MIN_REWARDS);
    // More than the free balance; less than one unit of weight.
    let join = ix::join_worker_chamber(&veteran.pubkey(), &usdc, 26 * USDC);
    env.expect_error(&[join], &[&veteran], PobError::InsufficientFreeBalance).await;
    let join = ix::join_worker_chamber(&veteran.pubkey(), &usdc, USDC - 1);
    env.expect_error(&[join], &[&veteran], PobError::ChamberStakeTooSmall).await;

    // 25.5 USDC of chamber stake at 1 USDC per weight: weight 25 (rounded down).
    env.execute(&[ix::join_worker_chamber(&veteran.pubkey(), &usdc, 25 * USDC + 500_000)], &[&veteran]).await;
    let member: Member = env.state(pda::member(&veteran.pubkey())).await;
    assert_eq!(
        (member.kind, member.weight, member.rent_payer, member.chamber_mint),
        (MEMBER_CHAMBER, 25, veteran.pubkey(), usdc)
    );
    let balance = env.balance_of(&veteran.pubkey()).await;
    assert_eq!((balance.free, balance.chamber_locked, balance.chamber_member), (0, 25 * USDC + 500_000, 1));
    assert_eq!(env.protocol().await.total_member_weight, 25);
    let join = ix::join_worker_chamber(&veteran.pubkey(), &usdc, 0);
    env.expect_error(&[join], &[&veteran], PobError::AlreadyMember).await;
    // A chamber member's weight follows their stake, not the authority.
    let authority = env.authority.insecure_clone();
    let reweight = ix::set_member_weight(&authority.pubkey(), &veteran.pubkey(), 1_000);
    env.expect_error(&[reweight], &[&authority], PobError::ChamberWeightFollowsStake).await;
    env.assert_books_balance().await;
}

#[tokio::test]
async fn chamber_stake_stays_locked_while_a_member_and_one_vote_window_after() {
    let mut env = TestEnv::new().await;
    let usdc = env.usdc.mint;
    let worker = earner(&mut env, CHAMBER_MIN_REWARDS, 10 * USDC).await;
    env.execute(&[ix::join_worker_chamber(&worker.pubkey(), &usdc, 10 * USDC)], &[&worker]).await;
    let key = worker.pubkey();
    let (usdc_ref, to) = (env.usdc, env.usdc.ata(&key));

    // The stake cannot be withdrawn (it is not free) nor released while a member.
    env.expect_error(&[ix::withdraw(&key, usdc_ref, &to, 1)], &[&worker], PobError::InsufficientFreeBalance)
        .await;
    env.expect_error(&[ix::release_chamber_stake(&key, &usdc)], &[&worker], PobError::ChamberStakeLocked)
        .await;
    // Leaving without the balance cannot skip the cool-down.
    let leave = ix::leave_membership(&key, &key, None);
    env.expect_error(&[leave], &[&worker], PobError::ChamberBalanceMissing).await;
    env.execute(&[ix::leave_membership(&key, &key, Some(&usdc))], &[&worker]).await;
    let unlocks_at = env.balance_of(&key).await.chamber_unlocks_at;
    assert_eq!(unlocks_at, env.now() + VOTE_WINDOW);
    assert_eq!(env.protocol().await.total_member_weight, 0);

    // Still locked for one vote window after leaving, so it cannot back a second membership in
    // the same vote.
    env.warp_to(unlocks_at - 1).await;
    env.expect_error(&[ix::release_chamber_stake(&key, &usdc)], &[&worker], PobError::ChamberStakeLocked)
        .await;
    env.warp_to(unlocks_at).await;
    env.execute(&[ix::release_chamber_stake(&key, &usdc)], &[&worker]).await;
    let balance = env.balance_of(&key).await;
    assert_eq!((balance.free, balance.chamber_locked), (10 * USDC, 0));
    env.expect_error(&[ix::release_chamber_stake(&key, &usdc)], &[&worker], PobError::NothingToRelease).await;
    env.withdraw(&worker, 10 * USDC).await;
    env.assert_books_balance().await;
}

#[tokio::test]
async fn the_authority_removing_a_chamber_member_starts_the_cool_down_too() {
    let mut env = TestEnv::new().await;
    let usdc = env.usdc.mint;
    let worker = earner(&mut env, CHAMBER_MIN_REWARDS, 5 * USDC).await;
    env.execute(&[ix::join_worker_chamber(&worker.pubkey(), &usdc, 5 * USDC)], &[&worker]).await;
    let authority = env.authority.insecure_clone();
    let key = worker.pubkey();
    env.execute(&[ix::remove_member(&authority.pubkey(), &key, &key, Some(&usdc))], &[&authority]).await;
    let balance = env.balance_of(&key).await;
    assert_eq!((balance.chamber_member, balance.chamber_unlocks_at), (0, env.now() + VOTE_WINDOW));
}

#[tokio::test]
async fn splitting_one_stake_over_many_wallets_gives_no_more_weight() {
    // 30.9 USDC in one wallet weighs 30; split 3 ways (10.3 each) it weighs 3 x 10 = 30; 10 ways
    // (3.09 each) 10 x 3 = 30: never more. (Each wallet must also earn the chamber's 10 USDC of
    // rewards first, at 2.5% fees: splitting costs more, never less.)
    let mut env = TestEnv::new().await;
    let usdc = env.usdc.mint;
    let whole = earner(&mut env, CHAMBER_MIN_REWARDS, 30_900_000).await;
    env.execute(&[ix::join_worker_chamber(&whole.pubkey(), &usdc, 30_900_000)], &[&whole]).await;
    let one = env.state::<Member>(pda::member(&whole.pubkey())).await.weight;
    let mut split = 0;
    for _ in 0..3 {
        let part = earner(&mut env, CHAMBER_MIN_REWARDS, 10_300_000).await;
        env.execute(&[ix::join_worker_chamber(&part.pubkey(), &usdc, 10_300_000)], &[&part]).await;
        split += env.state::<Member>(pda::member(&part.pubkey())).await.weight;
    }
    assert_eq!((one, split), (30, 30));
}

/// Members of weight 100 and a finalized task (A, A, B), disputed by its requester. Candidates:
/// 0 = A, 1 = B, 2 = Void.
async fn disputed_with_members(env: &mut TestEnv, members: usize) -> (Keypair, TaskRef, Vec<Keypair>) {
    let mut voters = Vec::new();
    for _ in 0..members {
        voters.push(env.member(MEMBER_WEIGHT).await);
    }
    env.warp_by(1).await;
    let (requester, task, _) = env.finalized_task(&[b"A", b"A", b"B"]).await;
    let usdc = env.usdc;
    env.mint_to(usdc, &requester.pubkey(), DISPUTE_BOND).await;
    env.deposit(&requester, DISPUTE_BOND).await;
    env.execute(&[ix::open_dispute(Opener::Requester(requester.pubkey()), &task, [0; 32])], &[&requester])
        .await;
    (requester, task, voters)
}

#[tokio::test]
async fn a_member_who_joined_after_the_dispute_opened_cannot_vote() {
    let mut env = TestEnv::new().await;
    let (_, task, _) = disputed_with_members(&mut env, 3).await;
    // Appointed after the dispute opened (or in the same second).
    let late = env.member(MEMBER_WEIGHT).await;
    let vote = env.vote_ixs(&late.pubkey(), &task, 1).await;
    env.expect_error(&vote, &[&late], PobError::JoinedAfterDisputeOpened).await;
    env.warp_by(100).await;
    let vote = env.vote_ixs(&late.pubkey(), &task, 1).await;
    env.expect_error(&vote, &[&late], PobError::JoinedAfterDisputeOpened).await;
    // A chamber worker joining mid-dispute, the same.
    let usdc = env.usdc.mint;
    let worker = earner(&mut env, CHAMBER_MIN_REWARDS, 500 * USDC).await;
    env.execute(&[ix::join_worker_chamber(&worker.pubkey(), &usdc, 500 * USDC)], &[&worker]).await;
    let vote = env.vote_ixs(&worker.pubkey(), &task, 1).await;
    env.expect_error(&vote, &[&worker], PobError::JoinedAfterDisputeOpened).await;
    // So is a member re-weighted after the dispute opened.
    let authority = env.authority.insecure_clone();
    let reweighted = env.member(MEMBER_WEIGHT).await;
    env.execute(&[ix::set_member_weight(&authority.pubkey(), &reweighted.pubkey(), 1_000)], &[&authority])
        .await;
    let vote = env.vote_ixs(&reweighted.pubkey(), &task, 1).await;
    env.expect_error(&vote, &[&reweighted], PobError::JoinedAfterDisputeOpened).await;
}

#[tokio::test]
async fn early_resolution_needs_the_snapshotted_minimum_and_majority() {
    let mut env = TestEnv::new().await;
    let authority = env.authority.insecure_clone();
    // Five members (500); min_vote_weight 300.
    let (requester, task, voters) = disputed_with_members(&mut env, 5).await;
    let resolve = ix::resolve_dispute(&task, Opener::Requester(requester.pubkey()));
    env.vote(&voters[0], &task, 1).await;
    env.vote(&voters[1], &task, 1).await;
    // 200 of 500 for B, 200 cast: neither a majority nor the minimum.
    env.expect_error(std::slice::from_ref(&resolve), &[], PobError::VotingStillOpen).await;

    // Voters leaving shrink the live total (to 300), not the snapshot: still no majority of 500.
    let payer = env.payer();
    for voter in &voters[..2] {
        env.execute(&[ix::leave_membership(&voter.pubkey(), &payer, None)], &[voter]).await;
    }
    assert_eq!(env.protocol().await.total_member_weight, 300);
    env.expect_error(std::slice::from_ref(&resolve), &[], PobError::VotingStillOpen).await;

    // Lowering min_vote_weight under an open dispute changes nothing for it.
    let update = ProtocolUpdate { min_vote_weight: Some(1), ..Default::default() };
    env.execute(&[ix::update_protocol(&authority.pubkey(), update)], &[&authority]).await;
    env.expect_error(std::slice::from_ref(&resolve), &[], PobError::VotingStillOpen).await;

    // A third vote: 300 for B > 250 and 300 cast >= 300: decided early.
    env.vote(&voters[2], &task, 1).await;
    env.execute(&[resolve], &[]).await;
    let outcome = env.task(&task).await.outcome();
    assert_eq!(outcome, Some(proof_of_brain::logic::commitment::answer_hash(b"B")));
}

#[tokio::test]
async fn a_majority_below_the_minimum_waits_for_the_deadline_and_then_decides_nothing() {
    let mut env = TestEnv::new().await;
    let (requester, task, voters) = disputed_with_members(&mut env, 2).await;
    // Two members (200): B gets 200 of 200, a majority, but below min_vote_weight (300).
    env.vote(&voters[0], &task, 1).await;
    env.vote(&voters[1], &task, 1).await;
    let resolve = ix::resolve_dispute(&task, Opener::Requester(requester.pubkey()));
    env.expect_error(std::slice::from_ref(&resolve), &[], PobError::VotingStillOpen).await;
    let deadline =
        env.state::<proof_of_brain::state::Dispute>(pda::dispute(&task.address)).await.vote_deadline;
    env.warp_to(deadline).await;
    env.execute(&[resolve], &[]).await;
    let outcome = env.task(&task).await.outcome();
    assert_eq!(
        outcome,
        Some(proof_of_brain::logic::commitment::answer_hash(b"A")),
        "the original outcome stands"
    );
}
