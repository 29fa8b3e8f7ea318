//! Disputes decided by DAO vote: overturn, upheld, Void, no decision, early resolution, and every
//! rejection. Five workers answer A, A, A, B, B (quorum 3 picks A); three appointed members of
//! weight 100 (the default `min_vote_weight` is 300: all three must vote for a vote to decide).
//! Candidates, in tally order: 0 = A, 1 = B, 2 = Void.
use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::solana_program::instruction::Instruction;
use pob_cli::ix::{self, Opener, TaskRef};
use pob_cli::pda;
use proof_of_brain::logic::commitment::answer_hash;
use proof_of_brain::state::{Dispute, TASK_DISPUTED, TASK_FINALIZED};
use proof_of_brain::ProtocolUpdate;
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

const A: &[u8] = b"cat";
const B: &[u8] = b"dog";
const VOTE_A: u8 = 0;
const VOTE_B: u8 = 1;
const VOID: u8 = 2;
const DEPOSIT: u64 = 256_250;
const REASON: [u8; 32] = [9; 32];

struct Story {
    env: TestEnv,
    requester: Keypair,
    task: TaskRef,
    workers: Vec<Keypair>,
    members: Vec<Keypair>,
}

async fn story() -> Story {
    let mut env = TestEnv::new().await;
    let mut members = Vec::new();
    for _ in 0..3 {
        members.push(env.member(MEMBER_WEIGHT).await);
    }
    env.warp_by(1).await; // the members joined before any dispute opens
    let (requester, task, workers) = env.finalized_task(&[A, A, A, B, B]).await;
    assert_eq!(env.task(&task).await.outcome(), Some(answer_hash(A)));
    Story { env, requester, task, workers, members }
}

impl Story {
    /// `opener` posts the bond (minted and deposited first) and opens the dispute.
    async fn open(&mut self, opener: &Keypair) {
        let usdc = self.env.usdc;
        self.env.mint_to(usdc, &opener.pubkey(), DISPUTE_BOND).await;
        self.env.deposit(opener, DISPUTE_BOND).await;
        let open = ix::open_dispute(Opener::of(&self.task, opener.pubkey()), &self.task, REASON);
        self.env.execute(&[open], &[opener]).await;
    }

    async fn vote(&mut self, member: usize, choice: u8) {
        let (voter, task) = (self.members[member].insecure_clone(), self.task);
        self.env.vote(&voter, &task, choice).await;
    }

    fn resolve_ix(&self, opener: &Keypair) -> Instruction {
        ix::resolve_dispute(&self.task, Opener::of(&self.task, opener.pubkey()))
    }

    async fn resolve(&mut self, opener: &Keypair) {
        let resolve = self.resolve_ix(opener);
        self.env.execute(&[resolve], &[]).await;
    }

    async fn settle(&mut self) {
        let task = self.task;
        for worker in &self.workers {
            self.env.claim(&task, &worker.pubkey()).await;
        }
        self.env.close(&task).await;
    }

    /// Each worker's free balance above the 1 USDC they deposited.
    async fn paid(&mut self) -> Vec<u64> {
        let mut paid = Vec::new();
        for worker in &self.workers {
            paid.push(self.env.free(&worker.pubkey()).await - USDC);
        }
        paid
    }

    async fn dispute(&mut self) -> Dispute {
        self.env.state(pda::dispute(&self.task.address)).await
    }
}

#[tokio::test]
async fn members_overturn_the_quorum_and_the_requester_gets_the_bond_back() {
    let mut s = story().await;
    let requester = s.requester.insecure_clone();
    let free_before = s.env.free(&requester.pubkey()).await;
    s.open(&requester).await;
    assert_eq!(
        s.env.free(&requester.pubkey()).await,
        free_before,
        "the bond left the balance it was deposited to"
    );
    assert_eq!(s.env.task(&s.task).await.state, TASK_DISPUTED);
    let dispute = s.dispute().await;
    assert_eq!(
        (dispute.bond, dispute.total_weight_snapshot, dispute.min_vote_weight_snapshot),
        (DISPUTE_BOND, 300, 300)
    );
    assert_eq!(s.env.requester_record(&requester.pubkey()).await.disputes_opened, 1);
    s.env.assert_books_balance().await;

    // Two of three votes hold a majority of the snapshot (200 > 150) but not the minimum weight
    // (200 < 300): resolving early is refused.
    s.vote(0, VOTE_B).await;
    s.vote(1, VOTE_B).await;
    let early = s.resolve_ix(&requester);
    s.env.expect_error(&[early], &[], PobError::VotingStillOpen).await;
    // The third makes the minimum: B cannot be caught up, so the dispute resolves before its
    // deadline.
    s.vote(2, VOTE_B).await;
    s.resolve(&requester).await;

    let task = s.env.task(&s.task).await;
    assert_eq!((task.outcome(), task.state), (Some(answer_hash(B)), TASK_FINALIZED));
    assert_eq!(task.dispute_deadline, s.env.now(), "claims open at once");
    assert!(!s.env.exists(pda::dispute(&s.task.address)).await);
    assert_eq!(s.env.free(&requester.pubkey()).await, free_before + DISPUTE_BOND, "bond returned");
    let record = s.env.requester_record(&requester.pubkey()).await;
    assert_eq!((record.disputes_won, record.disputes_lost), (1, 0));

    s.settle().await;
    // B-workers paid; A-workers get their stake back, no reward, nobody slashed.
    assert_eq!(s.paid().await, [0, 0, 0, 50_000, 50_000]);
    for (i, worker) in s.workers.iter().enumerate() {
        assert_eq!(s.env.balance_of(&worker.pubkey()).await.locked, 0, "worker {i}");
        let record = s.env.worker_record(&worker.pubkey()).await;
        assert_eq!((record.answers_agreed, record.answers_disagreed), if i < 3 { (0, 1) } else { (1, 0) });
    }
    // Fee on 100_000 paid: 2_500. Refund: 256_250 - 100_000 - 2_500.
    assert_eq!(s.env.fees().await.accrued, 2_500);
    assert_eq!(s.env.free(&requester.pubkey()).await, free_before + DISPUTE_BOND + 153_750);
    s.env.assert_books_balance().await;
}

#[tokio::test]
async fn an_upheld_result_forfeits_the_bond_to_the_fee_balance() {
    let mut s = story().await;
    let opener = s.workers[3].insecure_clone(); // revealed B
    s.open(&opener).await;
    let lamports_before = s.env.lamports(opener.pubkey()).await;
    for member in 0..3 {
        s.vote(member, VOTE_A).await;
    }
    // A worker's dispute cannot be resolved without recording it in the worker's record (an
    // absent optional account is passed as the program id).
    let without_record =
        with_account(s.resolve_ix(&opener), &pda::worker(&opener.pubkey()), &proof_of_brain::ID);
    s.env.expect_error(&[without_record], &[], PobError::OpenerRecordMissing).await;
    let rent = s.env.lamports(pda::dispute(&s.task.address)).await;
    s.resolve(&opener).await;

    assert_eq!(s.env.task(&s.task).await.outcome(), Some(answer_hash(A)));
    assert_eq!(s.env.task(&s.task).await.bond_forfeited, DISPUTE_BOND);
    let record = s.env.worker_record(&opener.pubkey()).await;
    assert_eq!((record.disputes_won, record.disputes_lost), (0, 1));
    assert_eq!(
        s.env.lamports(opener.pubkey()).await,
        lamports_before + rent,
        "dispute rent back to the opener"
    );
    s.env.assert_books_balance().await;

    s.settle().await;
    assert_eq!(s.paid().await, [50_000, 50_000, 50_000, 0, 0]);
    assert_eq!(s.env.fees().await.accrued, DISPUTE_BOND + 3_750);
    s.env.assert_books_balance().await;
}

#[tokio::test]
async fn void_settles_like_no_quorum() {
    let mut s = story().await;
    let requester = s.requester.insecure_clone();
    let free_before = s.env.free(&requester.pubkey()).await;
    s.open(&requester).await;
    for member in 0..3 {
        s.vote(member, VOID).await;
    }
    s.resolve(&requester).await;
    assert_eq!(s.env.task(&s.task).await.outcome(), None);

    s.settle().await;
    // Every revealer gets 50% of 0.05; fee ceil(125_000 * 2.5%) = 3_125; the bond came back.
    assert_eq!(s.paid().await, [25_000; 5]);
    assert_eq!(s.env.fees().await.accrued, 3_125);
    assert_eq!(s.env.free(&requester.pubkey()).await, free_before + DISPUTE_BOND + DEPOSIT - 125_000 - 3_125);
}

#[tokio::test]
async fn too_few_votes_leave_the_original_outcome() {
    let mut s = story().await;
    let requester = s.requester.insecure_clone();
    s.open(&requester).await;
    s.vote(0, VOTE_B).await;
    s.vote(1, VOTE_B).await; // 200 < min_vote_weight 300
    let deadline = s.dispute().await.vote_deadline;
    s.env.warp_to(deadline).await;
    s.resolve(&requester).await;
    assert_eq!(s.env.task(&s.task).await.outcome(), Some(answer_hash(A)));
    s.settle().await;
    assert_eq!(s.env.fees().await.accrued, DISPUTE_BOND + 3_750, "bond forfeited");
}

#[tokio::test]
async fn a_tie_leaves_the_original_outcome() {
    let mut s = story().await;
    let authority = s.env.authority.insecure_clone();
    let member = s.env.member(MEMBER_WEIGHT).await; // four members: 200 vs 200
    s.env.warp_by(1).await;
    s.members.push(member);
    let update = ProtocolUpdate { min_vote_weight: Some(400), ..Default::default() };
    s.env.execute(&[ix::update_protocol(&authority.pubkey(), update)], &[&authority]).await;
    let requester = s.requester.insecure_clone();
    s.open(&requester).await;
    s.vote(0, VOTE_A).await;
    s.vote(1, VOTE_B).await;
    s.vote(2, VOTE_A).await;
    s.vote(3, VOTE_B).await;
    let deadline = s.dispute().await.vote_deadline;
    s.env.warp_to(deadline - 1).await;
    let early = s.resolve_ix(&requester);
    s.env.expect_error(&[early], &[], PobError::VotingStillOpen).await;
    s.env.warp_to(deadline).await;
    s.resolve(&requester).await;
    assert_eq!(s.env.task(&s.task).await.outcome(), Some(answer_hash(A)));
    assert_eq!(s.env.task(&s.task).await.bond_forfeited, DISPUTE_BOND);
}

#[tokio::test]
async fn vote_rejections() {
    let mut s = story().await;
    let requester = s.requester.insecure_clone();
    s.open(&requester).await;
    let task = s.task;

    let outsider = s.env.user(0).await;
    let vote = s.env.vote_ixs(&outsider.pubkey(), &task, VOTE_B).await;
    s.env.expect_error(&vote, &[&outsider], AnchorError::AccountOwnedByWrongProgram).await;

    // The requester and a worker of the task, even as members, cannot judge it.
    let (payer, authority) = (s.env.payer(), s.env.authority.insecure_clone());
    let worker = s.workers[0].insecure_clone();
    s.env
        .execute(
            &[
                ix::add_member(&payer, &authority.pubkey(), requester.pubkey(), MEMBER_WEIGHT),
                ix::add_member(&payer, &authority.pubkey(), worker.pubkey(), MEMBER_WEIGHT),
            ],
            &[&authority],
        )
        .await;
    s.env.warp_by(1).await;
    let vote = s.env.vote_ixs(&requester.pubkey(), &task, VOTE_B).await;
    s.env.expect_error(&vote, &[&requester], PobError::RequesterCannotVote).await;
    let vote = s.env.vote_ixs(&worker.pubkey(), &task, VOTE_A).await;
    s.env.expect_error(&vote, &[&worker], PobError::WorkerCannotVote).await;
    // Someone else's membership.
    let member = s.members[0].insecure_clone();
    let mut borrowed = s.env.vote_ixs(&outsider.pubkey(), &task, VOTE_B).await;
    let last = borrowed.pop().unwrap();
    borrowed.push(with_account(last, &pda::member(&outsider.pubkey()), &pda::member(&member.pubkey())));
    s.env.expect_error(&borrowed, &[&outsider], PobError::NotAMember).await;

    let vote = s.env.vote_ixs(&member.pubkey(), &task, 3).await;
    s.env.expect_error(&vote, &[&member], PobError::InvalidChoice).await;
    s.vote(0, VOTE_B).await;
    let vote = s.env.vote_ixs(&member.pubkey(), &task, VOTE_A).await;
    s.env.expect_error(&vote, &[&member], PobError::AlreadyVoted).await;
    let dispute = s.dispute().await;
    assert_eq!((dispute.weights(), dispute.weight_cast), (&[0, 100, 0][..], 100));

    // Settlement waits while the dispute is open, even after the dispute window.
    s.env.warp_by(DISPUTE_WINDOW).await;
    s.env.expect_error(&[ix::claim(&task, &s.workers[0].pubkey())], &[], PobError::DisputeOpen).await;
    s.env.expect_error(&[ix::close_task(&task)], &[], PobError::DisputeOpen).await;

    let deadline = s.dispute().await.vote_deadline;
    s.env.warp_to(deadline).await;
    let late = s.members[1].insecure_clone();
    let vote = s.env.vote_ixs(&late.pubkey(), &task, VOTE_B).await;
    s.env.expect_error(&vote, &[&late], PobError::VotingClosed).await;
}

#[tokio::test]
async fn open_dispute_rejections() {
    let mut s = story().await;
    let outsider = s.env.requester(DISPUTE_BOND).await;
    let open = ix::open_dispute(Opener::Worker(outsider.pubkey()), &s.task, REASON);
    s.env.expect_error(&[open], &[&outsider], PobError::NotEligibleToDispute).await;

    // Without the bond in the free balance.
    let requester = s.requester.insecure_clone();
    let poor = s.workers[3].insecure_clone();
    let free = s.env.free(&poor.pubkey()).await;
    s.env.withdraw(&poor, free).await;
    let open = ix::open_dispute(Opener::Worker(poor.pubkey()), &s.task, REASON);
    s.env.expect_error(&[open], &[&poor], PobError::InsufficientFreeBalance).await;

    s.open(&requester).await;
    let open = ix::open_dispute(Opener::Requester(requester.pubkey()), &s.task, REASON);
    s.env.expect_error(&[open], &[&requester], PobError::DisputeAlreadyOpen).await;

    // A worker who never revealed, on a second task.
    let mut env = s.env;
    let requester = env.requester(10 * USDC).await;
    let mut args = env.task_args();
    args.answers_required = 3;
    args.quorum = 2;
    let task = env.create_task(&requester, args).await;
    let workers = [env.worker(USDC).await, env.worker(USDC).await, env.worker(2 * USDC).await];
    for worker in &workers {
        env.commit(worker, &task, A).await;
    }
    for worker in &workers[..2] {
        env.reveal(worker, &task, A).await;
    }
    let reveal_deadline = env.task(&task).await.reveal_deadline;
    env.warp_to(reveal_deadline).await;
    env.finalize(&task).await;
    let silent = &workers[2];
    let open = ix::open_dispute(Opener::Worker(silent.pubkey()), &task, REASON);
    env.expect_error(&[open], &[silent], PobError::AnswerNotRevealed).await;

    // After the dispute window.
    env.warp_by(DISPUTE_WINDOW).await;
    let open = ix::open_dispute(Opener::Requester(requester.pubkey()), &task, REASON);
    env.expect_error(&[open], &[&requester], PobError::DisputeWindowClosed).await;

    // Before finalization.
    let args = env.task_args();
    let open_task = env.create_task(&requester, args).await;
    let open = ix::open_dispute(Opener::Requester(requester.pubkey()), &open_task, REASON);
    env.expect_error(&[open], &[&requester], PobError::TaskNotFinalized).await;
}

#[tokio::test]
async fn votes_return_their_rent_and_never_block_a_later_dispute_at_the_same_address() {
    let mut s = story().await;
    let requester = s.requester.insecure_clone();
    let task_id = s.env.task(&s.task).await.task_id;
    s.open(&requester).await;
    for member in 0..3 {
        s.vote(member, VOTE_B).await;
    }
    let (m0, m1) = (s.members[0].pubkey(), s.members[1].pubkey());
    let task = s.task.address;
    s.env.expect_error(&[ix::close_vote(&task, &m0)], &[], PobError::VoteStillNeeded).await;
    s.resolve(&requester).await;

    // Anyone may return a resolved dispute's vote rent to the voter, and only to the voter.
    let vote = pda::vote(&pda::dispute(&task), &m0);
    let thief = s.env.user(0).await;
    let stolen = with_account(ix::close_vote(&task, &m0), &m0, &thief.pubkey());
    s.env.expect_error(&[stolen], &[], PobError::WrongRecipient).await;
    let (before, rent) = (s.env.lamports(m0).await, s.env.lamports(vote).await);
    s.env.execute(&[ix::close_vote(&task, &m0)], &[]).await;
    assert_eq!(s.env.lamports(m0).await, before + rent);
    assert!(!s.env.exists(vote).await);

    // The task closes; its requester reuses the task id, and the new task is disputed at the same
    // Dispute address. m1's leftover vote does not count as a vote on the new dispute.
    s.settle().await;
    let mut args = s.env.task_args();
    args.task_id = task_id;
    let again = s.env.create_task(&requester, args).await;
    assert_eq!(again.address, task);
    let mut workers = Vec::new();
    for answer in [A, A, A, B, B] {
        let worker = s.env.worker(USDC).await;
        s.env.commit(&worker, &again, answer).await;
        workers.push(worker);
    }
    for (worker, answer) in workers.iter().zip([A, A, A, B, B]) {
        s.env.reveal(worker, &again, answer).await;
    }
    s.env.finalize(&again).await;
    s.open(&requester).await;
    s.vote(1, VOTE_A).await;
    assert_eq!(s.dispute().await.weights(), &[100, 0, 0]);
    let member = s.members[1].insecure_clone();
    let twice = s.env.vote_ixs(&m1, &again, VOTE_B).await;
    s.env.expect_error(&twice, &[&member], PobError::AlreadyVoted).await;
    // m0 closed their vote: they vote on the new dispute from a new account.
    s.vote(0, VOTE_A).await;
    assert_eq!(s.dispute().await.weights(), &[200, 0, 0]);
}

#[tokio::test]
async fn the_treasury_can_be_a_requester_who_disputes_and_closes() {
    let mut s = story().await;
    let requester = s.requester.insecure_clone();
    let authority = s.env.authority.insecure_clone();
    let update = ProtocolUpdate { treasury: Some(requester.pubkey()), ..ProtocolUpdate::default() };
    s.env.execute(&[ix::update_protocol(&authority.pubkey(), update)], &[&authority]).await;
    s.open(&requester).await;
    for member in 0..3 {
        s.vote(member, VOTE_A).await;
    }
    s.resolve(&requester).await; // upheld: the bond is forfeited to the fee balance
    s.settle().await;
    assert_eq!(s.paid().await, [50_000, 50_000, 50_000, 0, 0]);
    let accrued = s.env.fees().await.accrued;
    assert_eq!(accrued, DISPUTE_BOND + 3_750);
    // The treasury (here the requester) withdraws the fees, bond included.
    let usdc = s.env.usdc;
    let to = usdc.ata(&requester.pubkey());
    s.env.execute(&[ix::withdraw_fees(&requester.pubkey(), usdc, &to, accrued)], &[&requester]).await;
    assert!(!s.env.exists(s.task.address).await);
    s.env.assert_books_balance().await;
}
