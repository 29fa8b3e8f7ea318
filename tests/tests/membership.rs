//! DAO membership: appointed members, the worker chamber, and a DAO program as the authority.
use anchor_lang::error::ErrorCode as AnchorError;
use pob_cli::ix;
use pob_cli::pda;
use proof_of_brain::state::{Member, MemberKind};
use proof_of_brain::ProtocolUpdate;
use proof_of_brain_tests::dao::{self, governance_pda};
use proof_of_brain_tests::*;
use solana_sdk::signature::Signer;

#[tokio::test]
async fn the_authority_adds_reweights_and_removes_members() {
    let mut env = TestEnv::new().await;
    let (payer, authority) = (env.payer(), env.authority.insecure_clone());
    let alice = env.member(3).await;
    let bob = env.member(2).await;
    let member: Member = env.account(pda::member(&alice.pubkey())).await;
    assert_eq!(
        (member.wallet, member.weight, member.kind, member.rent_payer),
        (alice.pubkey(), 3, MemberKind::Appointed, payer)
    );
    assert_eq!(env.protocol().await.total_member_weight, 5);

    env.execute(&[ix::set_member_weight(&authority.pubkey(), &alice.pubkey(), 7)], &[&authority]).await;
    assert_eq!(env.account::<Member>(pda::member(&alice.pubkey())).await.weight, 7);
    assert_eq!(env.protocol().await.total_member_weight, 9);

    // A member whose rent a sponsor paid: removal returns the rent to the sponsor, exactly.
    let (sponsor, carol) = (env.user(0).await, env.user(0).await);
    let add = ix::add_member(&sponsor.pubkey(), &authority.pubkey(), carol.pubkey(), 1);
    env.execute(&[add], &[&sponsor, &authority]).await;
    let sponsor_lamports = env.lamports(sponsor.pubkey()).await;
    let member_rent = env.lamports(pda::member(&carol.pubkey())).await;
    env.execute(&[ix::remove_member(&authority.pubkey(), &bob.pubkey(), &payer)], &[&authority]).await;
    env.execute(&[ix::remove_member(&authority.pubkey(), &carol.pubkey(), &sponsor.pubkey())], &[&authority])
        .await;
    assert!(!env.exists(pda::member(&bob.pubkey())).await);
    assert!(!env.exists(pda::member(&carol.pubkey())).await);
    assert_eq!(env.lamports(sponsor.pubkey()).await, sponsor_lamports + member_rent);
    assert_eq!(env.protocol().await.total_member_weight, 7);

    // A member leaves by themselves.
    env.execute(&[ix::leave_membership(&alice.pubkey(), &payer)], &[&alice]).await;
    assert!(!env.exists(pda::member(&alice.pubkey())).await);
    assert_eq!(env.protocol().await.total_member_weight, 0);
}

#[tokio::test]
async fn member_management_rejections() {
    let mut env = TestEnv::new().await;
    let (payer, authority) = (env.payer(), env.authority.insecure_clone());
    let intruder = env.user(0).await;
    let alice = env.member(1).await;

    let add = ix::add_member(&payer, &intruder.pubkey(), intruder.pubkey(), 10);
    env.expect_error(&[add], &[&intruder], PobError::NotProtocolAuthority).await;
    let reweight = ix::set_member_weight(&intruder.pubkey(), &alice.pubkey(), 10);
    env.expect_error(&[reweight], &[&intruder], PobError::NotProtocolAuthority).await;
    let remove = ix::remove_member(&intruder.pubkey(), &alice.pubkey(), &payer);
    env.expect_error(&[remove], &[&intruder], PobError::NotProtocolAuthority).await;

    let zero = ix::add_member(&payer, &authority.pubkey(), intruder.pubkey(), 0);
    env.expect_error(&[zero], &[&authority], PobError::InvalidMemberWeight).await;
    let zero = ix::set_member_weight(&authority.pubkey(), &alice.pubkey(), 0);
    env.expect_error(&[zero], &[&authority], PobError::InvalidMemberWeight).await;
    let again = ix::add_member(&payer, &authority.pubkey(), alice.pubkey(), 1);
    env.expect_error(&[again], &[&authority], PobError::AlreadyMember).await;

    // The rent goes back to whoever paid it, not to someone the caller names.
    let redirected = ix::remove_member(&authority.pubkey(), &alice.pubkey(), &intruder.pubkey());
    env.expect_error(&[redirected], &[&authority], AnchorError::ConstraintHasOne).await;
    // Someone else cannot make a member leave.
    let forced =
        with_account(ix::leave_membership(&alice.pubkey(), &payer), &alice.pubkey(), &intruder.pubkey());
    env.expect_error(&[forced], &[&intruder], AnchorError::ConstraintSeeds).await;
    assert_eq!(env.protocol().await.total_member_weight, 1);
}

#[tokio::test]
async fn experienced_staked_workers_join_the_worker_chamber() {
    let mut env = TestEnv::new().await;
    let authority = env.authority.insecure_clone();
    // Thresholds for this test: 2 agreed answers and 2 USDC of stake; chamber weight 3.
    let update = ProtocolUpdate {
        chamber_min_agreed_answers: Some(2),
        chamber_min_stake: Some(2 * USDC),
        chamber_member_weight: Some(3),
        ..Default::default()
    };
    env.execute(&[ix::update_protocol(&authority.pubkey(), update)], &[&authority]).await;
    let usdc = env.usdc.mint;

    let novice = env.worker(2 * USDC).await;
    let join = ix::join_worker_chamber(&novice.pubkey(), &usdc);
    env.expect_error(&[join], &[&novice], PobError::NotEnoughAgreedAnswers).await;

    // Two one-answer tasks in which the worker's answer is the quorum's.
    let veteran = env.worker(USDC).await;
    for _ in 0..2 {
        let requester = env.user(10 * USDC).await;
        let mut args = env.task_args();
        args.answers_required = 1;
        args.quorum = 1;
        let task = env.create_task(&requester, args).await;
        env.commit(&veteran, &task, b"yes").await;
        env.reveal(&veteran, &task, b"yes").await;
        env.finalize(&task).await;
        env.warp_by(DISPUTE_WINDOW).await;
        env.claim(&task, &veteran.pubkey()).await;
    }
    let join = ix::join_worker_chamber(&veteran.pubkey(), &usdc);
    env.expect_error(std::slice::from_ref(&join), &[&veteran], PobError::NotEnoughStakeForChamber).await;

    let usdc_mint = env.usdc;
    env.mint_to(usdc_mint, &veteran.pubkey(), USDC).await;
    env.execute(
        &[ix::stake(&veteran.pubkey(), usdc_mint, &usdc_mint.ata(&veteran.pubkey()), USDC)],
        &[&veteran],
    )
    .await;
    env.execute(std::slice::from_ref(&join), &[&veteran]).await;
    let member: Member = env.account(pda::member(&veteran.pubkey())).await;
    assert_eq!(
        (member.kind, member.weight, member.rent_payer),
        (MemberKind::WorkerChamber, 3, veteran.pubkey())
    );
    assert_eq!(env.protocol().await.total_member_weight, 3);
    env.expect_error(&[join], &[&veteran], PobError::AlreadyMember).await;

    let lamports = env.lamports(veteran.pubkey()).await;
    let rent = env.lamports(pda::member(&veteran.pubkey())).await;
    env.execute(&[ix::leave_membership(&veteran.pubkey(), &veteran.pubkey())], &[&veteran]).await;
    assert_eq!(env.lamports(veteran.pubkey()).await, lamports + rent);
    assert_eq!(env.protocol().await.total_member_weight, 0);
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
    env.execute(&[dao::execute(ix::add_member(&payer, &governance, member.pubkey(), 4))], &[]).await;
    let stored: Member = env.account(pda::member(&member.pubkey())).await;
    assert_eq!(stored.weight, 4);
    assert_eq!(env.protocol().await.total_member_weight, 4);

    // The old keypair has no say any more, and nobody can act for the PDA without its program.
    let by_old = ix::add_member(&payer, &old.pubkey(), old.pubkey(), 1);
    env.expect_error(&[by_old], &[&old], PobError::NotProtocolAuthority).await;
    let unsigned = without_signature(ix::add_member(&payer, &governance, old.pubkey(), 1), &governance);
    env.expect_error(&[unsigned], &[], AnchorError::AccountNotSigner).await;
}
