//! Disputes decided by DAO vote: overturn, upheld, Void, no decision, early resolution, and every
//! rejection. Five workers answer A, A, A, B, B (quorum 3 picks A); three members of weight 1.
//! Candidates, in tally order: 0 = A, 1 = B, 2 = Void.
use anchor_lang::error::ErrorCode as AnchorError;
use pob_cli::ix::{self, TaskRef};
use pob_cli::pda;
use proof_of_brain::logic::commitment::answer_hash;
use proof_of_brain::state::{Dispute, Stake, TaskState, Worker};
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
    let (requester, task, workers) = env.finalized_task(&[A, A, A, B, B]).await;
    assert_eq!(env.task(&task).await.outcome, Some(answer_hash(A)));
    let mut members = Vec::new();
    for _ in 0..3 {
        members.push(env.member(1).await);
    }
    Story { env, requester, task, workers, members }
}

impl Story {
    async fn open(&mut self, opener: &Keypair) {
        let ata = self.env.usdc.ata(&opener.pubkey());
        self.env.execute(&[ix::open_dispute(&opener.pubkey(), &self.task, &ata, REASON)], &[opener]).await;
    }

    async fn vote(&mut self, member: usize, choice: u8) {
        let voter = self.members[member].insecure_clone();
        self.env.execute(&[ix::cast_vote(&voter.pubkey(), &self.task.address, choice)], &[&voter]).await;
    }

    fn resolve_ix(&self, opener: &Keypair) -> anchor_lang::solana_program::instruction::Instruction {
        ix::resolve_dispute(&self.env.payer(), &self.task, &opener.pubkey(), &self.env.treasury)
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

    async fn paid(&mut self) -> Vec<u64> {
        let mut paid = Vec::new();
        for worker in &self.workers {
            paid.push(self.env.usdc_of(&worker.pubkey()).await);
        }
        paid
    }

    async fn vote_deadline(&mut self) -> i64 {
        let dispute: Dispute = self.env.account(pda::dispute(&self.task.address)).await;
        dispute.vote_deadline
    }
}

#[tokio::test]
async fn members_overturn_the_quorum_and_the_requester_gets_the_bond_back() {
    let mut s = story().await;
    let requester = s.requester.insecure_clone();
    let usdc_before = s.env.usdc_of(&requester.pubkey()).await;
    s.open(&requester).await;
    assert_eq!(s.env.usdc_of(&requester.pubkey()).await, usdc_before - DISPUTE_BOND);
    assert_eq!(s.env.balance(s.task.vault()).await, DEPOSIT + DISPUTE_BOND);
    assert_eq!(s.env.task(&s.task).await.state, TaskState::Disputed);

    // One vote of 3 total weight is no majority: resolving early is refused.
    s.vote(0, VOTE_B).await;
    let early = s.resolve_ix(&requester);
    s.env.expect_error(&[early], &[], PobError::VotingStillOpen).await;
    // The second makes 2 of 3: B cannot be caught up, so the dispute resolves before its deadline.
    s.vote(1, VOTE_B).await;
    s.resolve(&requester).await;

    let task = s.env.task(&s.task).await;
    assert_eq!((task.outcome, task.state), (Some(answer_hash(B)), TaskState::Finalized));
    assert_eq!(task.dispute_deadline, s.env.now(), "claims open at once");
    assert!(!s.env.exists(pda::dispute(&s.task.address)).await);
    assert_eq!(s.env.usdc_of(&requester.pubkey()).await, usdc_before, "bond returned");

    s.settle().await;
    // B-workers paid; A-workers get their stake back, no reward, nobody slashed.
    assert_eq!(s.paid().await, [0, 0, 0, 50_000, 50_000]);
    for (i, worker) in s.workers.iter().enumerate() {
        let stake: Stake = s.env.account(pda::stake(&worker.pubkey(), &s.env.usdc.mint)).await;
        assert_eq!((stake.amount, stake.locked), (USDC, 0), "worker {i}");
        let record: Worker = s.env.account(pda::worker(&worker.pubkey())).await;
        assert_eq!((record.answers_agreed, record.answers_disagreed), if i < 3 { (0, 1) } else { (1, 0) });
    }
    // Fee on 100_000 paid: 2_500. Refund: 256_250 - 100_000 - 2_500.
    let treasury = s.env.treasury;
    assert_eq!(s.env.usdc_of(&treasury).await, 2_500);
    assert_eq!(s.env.usdc_of(&requester.pubkey()).await, usdc_before + 153_750);
    assert_eq!(s.env.lamports(requester.pubkey()).await, USER_LAMPORTS, "task, vault and dispute rent back");
}

#[tokio::test]
async fn an_upheld_result_forfeits_the_bond_to_the_treasury() {
    let mut s = story().await;
    let opener = s.workers[3].insecure_clone(); // revealed B
    let usdc = s.env.usdc;
    s.env.mint_to(usdc, &opener.pubkey(), DISPUTE_BOND).await;
    let lamports_before = s.env.lamports(opener.pubkey()).await;
    s.open(&opener).await;
    s.vote(0, VOTE_A).await;
    s.vote(2, VOTE_A).await;
    // A worker's dispute cannot be resolved without recording it in the worker's reputation
    // (an absent optional account is passed as the program id).
    let without_record =
        with_account(s.resolve_ix(&opener), &pda::worker(&opener.pubkey()), &proof_of_brain::ID);
    s.env.expect_error(&[without_record], &[], PobError::OpenerWorkerAccountMissing).await;
    s.resolve(&opener).await;

    assert_eq!(s.env.task(&s.task).await.outcome, Some(answer_hash(A)));
    let record: Worker = s.env.account(pda::worker(&opener.pubkey())).await;
    assert_eq!((record.disputes_won, record.disputes_lost), (0, 1));
    assert_eq!(s.env.lamports(opener.pubkey()).await, lamports_before, "dispute rent back to the opener");

    s.settle().await;
    assert_eq!(s.paid().await, [50_000, 50_000, 50_000, 0, 0]);
    let treasury = s.env.treasury;
    assert_eq!(s.env.usdc_of(&treasury).await, DISPUTE_BOND + 3_750);
}

#[tokio::test]
async fn void_settles_like_no_quorum() {
    let mut s = story().await;
    let requester = s.requester.insecure_clone();
    let usdc_before = s.env.usdc_of(&requester.pubkey()).await;
    s.open(&requester).await;
    s.vote(0, VOID).await;
    s.vote(1, VOID).await;
    s.resolve(&requester).await;
    assert_eq!(s.env.task(&s.task).await.outcome, None);

    s.settle().await;
    // Every revealer gets 50% of 0.05; fee ceil(125_000 * 2.5%) = 3_125; the bond came back.
    assert_eq!(s.paid().await, [25_000; 5]);
    let treasury = s.env.treasury;
    assert_eq!(s.env.usdc_of(&treasury).await, 3_125);
    assert_eq!(s.env.usdc_of(&requester.pubkey()).await, usdc_before + DEPOSIT - 125_000 - 3_125);
}

#[tokio::test]
async fn too_few_votes_leave_the_original_outcome() {
    let mut s = story().await;
    let authority = s.env.authority.insecure_clone();
    let update = ProtocolUpdate { min_vote_weight: Some(2), ..Default::default() };
    s.env.execute(&[ix::update_protocol(&authority.pubkey(), update)], &[&authority]).await;
    let requester = s.requester.insecure_clone();
    s.open(&requester).await;
    s.vote(0, VOTE_B).await; // weight 1 < min_vote_weight 2
    let deadline = s.vote_deadline().await;
    s.env.warp_to(deadline).await;
    s.resolve(&requester).await;
    assert_eq!(s.env.task(&s.task).await.outcome, Some(answer_hash(A)));
    let treasury = s.env.treasury;
    assert_eq!(s.env.usdc_of(&treasury).await, DISPUTE_BOND, "bond forfeited");
}

#[tokio::test]
async fn a_tie_leaves_the_original_outcome() {
    let mut s = story().await;
    let requester = s.requester.insecure_clone();
    s.open(&requester).await;
    s.vote(0, VOTE_A).await;
    s.vote(1, VOTE_B).await;
    let deadline = s.vote_deadline().await;
    s.env.warp_to(deadline - 1).await;
    let early = s.resolve_ix(&requester);
    s.env.expect_error(&[early], &[], PobError::VotingStillOpen).await;
    s.env.warp_to(deadline).await;
    s.resolve(&requester).await;
    assert_eq!(s.env.task(&s.task).await.outcome, Some(answer_hash(A)));
    let treasury = s.env.treasury;
    assert_eq!(s.env.usdc_of(&treasury).await, DISPUTE_BOND);
}

#[tokio::test]
async fn vote_rejections() {
    let mut s = story().await;
    let requester = s.requester.insecure_clone();
    s.open(&requester).await;
    let task = s.task.address;

    let outsider = s.env.user(0).await;
    let vote = ix::cast_vote(&outsider.pubkey(), &task, VOTE_B);
    s.env.expect_error(&[vote], &[&outsider], AnchorError::AccountNotInitialized).await;

    // The requester and a worker of the task, even as members, cannot judge it.
    let (payer, authority) = (s.env.payer(), s.env.authority.insecure_clone());
    let worker = s.workers[0].insecure_clone();
    s.env
        .execute(
            &[
                ix::add_member(&payer, &authority.pubkey(), requester.pubkey(), 1),
                ix::add_member(&payer, &authority.pubkey(), worker.pubkey(), 1),
            ],
            &[&authority],
        )
        .await;
    let vote = ix::cast_vote(&requester.pubkey(), &task, VOTE_B);
    s.env.expect_error(&[vote], &[&requester], PobError::RequesterCannotVote).await;
    let vote = ix::cast_vote(&worker.pubkey(), &task, VOTE_A);
    s.env.expect_error(&[vote], &[&worker], PobError::WorkerCannotVote).await;

    let member = s.members[0].insecure_clone();
    let vote = ix::cast_vote(&member.pubkey(), &task, 3);
    s.env.expect_error(&[vote], &[&member], PobError::InvalidChoice).await;
    s.vote(0, VOTE_B).await;
    let vote = ix::cast_vote(&member.pubkey(), &task, VOTE_A);
    s.env.expect_error(&[vote], &[&member], PobError::AlreadyVoted).await;
    let dispute: Dispute = s.env.account(pda::dispute(&task)).await;
    assert_eq!((dispute.candidate_weights, dispute.weight_cast), (vec![0, 1, 0], 1));

    // Settlement waits while the dispute is open, even after the dispute window.
    s.env.warp_by(DISPUTE_WINDOW).await;
    let (payer, treasury) = (s.env.payer(), s.env.treasury);
    let claim = ix::claim(&payer, &s.task, &s.workers[0].pubkey());
    s.env.expect_error(&[claim], &[], PobError::DisputeOpen).await;
    let close = ix::close_task(&payer, &s.task, &treasury);
    s.env.expect_error(&[close], &[], PobError::DisputeOpen).await;

    let deadline = s.vote_deadline().await;
    s.env.warp_to(deadline).await;
    let late = s.members[1].insecure_clone();
    let vote = ix::cast_vote(&late.pubkey(), &task, VOTE_B);
    s.env.expect_error(&[vote], &[&late], PobError::VotingClosed).await;
}

#[tokio::test]
async fn open_dispute_rejections() {
    let mut s = story().await;
    let usdc = s.env.usdc;
    let outsider = s.env.user(DISPUTE_BOND).await;
    let open = ix::open_dispute(&outsider.pubkey(), &s.task, &usdc.ata(&outsider.pubkey()), REASON);
    s.env.expect_error(&[open], &[&outsider], PobError::NotEligibleToDispute).await;

    let requester = s.requester.insecure_clone();
    s.open(&requester).await;
    let open = ix::open_dispute(&requester.pubkey(), &s.task, &usdc.ata(&requester.pubkey()), REASON);
    s.env.expect_error(&[open], &[&requester], PobError::DisputeAlreadyOpen).await;

    // A worker who never revealed, on a second task.
    let mut env = s.env;
    let requester = env.user(10 * USDC).await;
    let mut args = env.task_args();
    args.answers_required = 3;
    args.quorum = 2;
    let reveal_deadline = args.reveal_deadline;
    let task = env.create_task(&requester, args).await;
    let workers = [env.worker(USDC).await, env.worker(USDC).await, env.worker(USDC).await];
    for worker in &workers {
        env.commit(worker, &task, A).await;
    }
    for worker in &workers[..2] {
        env.reveal(worker, &task, A).await;
    }
    env.warp_to(reveal_deadline).await;
    env.finalize(&task).await;
    let silent = &workers[2];
    env.mint_to(usdc, &silent.pubkey(), DISPUTE_BOND).await;
    let open = ix::open_dispute(&silent.pubkey(), &task, &usdc.ata(&silent.pubkey()), REASON);
    env.expect_error(&[open], &[silent], PobError::AnswerNotRevealed).await;

    // After the dispute window.
    env.warp_by(DISPUTE_WINDOW).await;
    let open = ix::open_dispute(&requester.pubkey(), &task, &usdc.ata(&requester.pubkey()), REASON);
    env.expect_error(&[open], &[&requester], PobError::DisputeWindowClosed).await;

    // Before finalization.
    let args = env.task_args();
    let open_task = env.create_task(&requester, args).await;
    let open = ix::open_dispute(&requester.pubkey(), &open_task, &usdc.ata(&requester.pubkey()), REASON);
    env.expect_error(&[open], &[&requester], PobError::TaskNotFinalized).await;
}

#[tokio::test]
async fn votes_return_their_rent_and_never_block_a_later_dispute_at_the_same_address() {
    let mut s = story().await;
    let requester = s.requester.insecure_clone();
    let task_id = s.env.task(&s.task).await.task_id;
    s.open(&requester).await;
    s.vote(0, VOTE_B).await;
    s.vote(1, VOTE_B).await;
    let (m0, m1) = (s.members[0].pubkey(), s.members[1].pubkey());
    let task = s.task.address;
    s.env.expect_error(&[ix::close_vote(&task, &m0)], &[], PobError::VoteStillNeeded).await;
    s.resolve(&requester).await;

    // Anyone may return a resolved dispute's vote rent to the voter.
    let vote = pda::vote(&pda::dispute(&task), &m0);
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
    let usdc = s.env.usdc;
    s.env.mint_to(usdc, &requester.pubkey(), DISPUTE_BOND).await;
    s.open(&requester).await;
    s.vote(1, VOTE_A).await;
    let dispute: Dispute = s.env.account(pda::dispute(&task)).await;
    assert_eq!(dispute.candidate_weights, vec![1, 0, 0]);
    let twice = ix::cast_vote(&m1, &task, VOTE_B);
    let member = s.members[1].insecure_clone();
    s.env.expect_error(&[twice], &[&member], PobError::AlreadyVoted).await;
}

/// The treasury's owner may also post tasks: its token account is then both the requester's (or
/// opener's) and the treasury's in resolve_dispute and close_task. Neither may be blocked by it
/// (Anchor's duplicate-mutable-account check would otherwise lock the task's funds for good).
#[tokio::test]
async fn the_treasury_can_be_a_requester_who_disputes_and_closes() {
    let mut s = story().await;
    let requester = s.requester.insecure_clone();
    let authority = s.env.authority.insecure_clone();
    let update = ProtocolUpdate { treasury: Some(requester.pubkey()), ..ProtocolUpdate::default() };
    s.env.execute(&[ix::update_protocol(&authority.pubkey(), update)], &[&authority]).await;
    s.env.treasury = requester.pubkey();
    let usdc = s.env.usdc;
    s.env.mint_to(usdc, &requester.pubkey(), DISPUTE_BOND).await;
    let before = s.env.usdc_of(&requester.pubkey()).await;

    s.open(&requester).await;
    assert_eq!(s.env.usdc_of(&requester.pubkey()).await, before - DISPUTE_BOND);
    s.vote(0, VOTE_A).await;
    s.vote(1, VOTE_A).await;
    let deadline = s.vote_deadline().await;
    s.env.warp_to(deadline).await;
    s.resolve(&requester).await; // upheld: the bond is forfeited to the treasury, i.e. back
    assert_eq!(s.env.usdc_of(&requester.pubkey()).await, before);

    s.settle().await;
    assert_eq!(s.paid().await, [50_000, 50_000, 50_000, 0, 0]);
    // Close: the fee (3,750) and the unpaid rewards (102,500) both land in the one account.
    assert_eq!(s.env.usdc_of(&requester.pubkey()).await, before + 3_750 + 102_500);
    assert!(!s.env.exists(s.task.address).await);
}
