//! Stateful property test: random sequences of actions by random actors (requesters, workers, DAO
//! members, the treasury, a crank, a thief, the token's issuer) with random arguments and clock
//! jumps, against the real bank. Any actor may at any step hand its token account to someone
//! else, close it, have it frozen by the issuer, or assign its wallet to another program.
//!
//! After every step:
//! - conservation: the tokens in every token account and the vault equal what was minted;
//! - the books: the vault holds exactly what the program owes (every balance, every open task's
//!   escrow, every open dispute's bond, the fee balance);
//! - each task is solvent: it never credited more than it escrowed;
//! - each worker's locked balance equals the stake of their open submissions;
//! - a chamber member's weight is their chamber stake at the mint's price;
//! - a rejected transaction changed no account it named (`TestEnv::try_send`).
//!
//! Wind-down (liveness, strict): the clock runs past every deadline, a crank finalizes, resolves,
//! claims and closes every task; members leave and, a vote window later, release their stake;
//! every owner withdraws everything to a token account they control and the treasury takes the
//! fees: every task must close, every withdrawal must succeed whatever the owner did to its
//! accounts, and the vault must end empty.
//!
//! `cargo test` runs `POB_FUZZ_CASES` sequences (default 12) of 20 to `POB_FUZZ_STEPS` steps
//! (default 60). A long campaign: `POB_FUZZ_CASES=1000 POB_FUZZ_STEPS=80 cargo test -p
//! proof-of-brain-tests --test program invariants:: -- --nocapture` (it prints, per action
//! kind, how many transactions were accepted or rejected and why).
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use pob_cli::ix::{self, Opener, TaskRef};
use pob_cli::pda;
use proof_of_brain::logic::commitment::{answer_hash, gold_seal};
use proof_of_brain::state::{
    Dispute, Member, MintLimits, Task, TaskView, TASK_DISPUTED, TASK_FINALIZED, TASK_OPEN,
};
use proof_of_brain_tests::*;
use proptest::prelude::*;
use solana_sdk::signature::{Keypair, Signer};

const REQUESTERS: usize = 2;
const WORKERS: usize = 5;
const MEMBERS: usize = 3;
/// Actors, by index: requesters, then workers, then members, then the treasury.
const ACTORS: usize = REQUESTERS + WORKERS + MEMBERS + 1;
const ANSWERS: [&[u8]; 3] = [b"cat", b"dog", b"fox"];
const GOLD_SALT: [u8; 32] = [7; 32];
/// The chamber's price in this test: one rewarded answer (0.01 USDC earned) to join, 0.1 USDC of
/// locked stake per unit of weight.
const CHAMBER_MIN_REWARDS_HERE: u64 = USDC / 100;
const CHAMBER_PRICE: u64 = USDC / 10;

#[derive(Clone, Debug)]
enum Action {
    CreateTask {
        requester: usize,
        answers: u8,
        reward: u64,
        commit_window: u32,
        gold: Option<usize>,
    },
    Cancel {
        task: usize,
    },
    Deposit {
        actor: usize,
        amount: u64,
    },
    Withdraw {
        actor: usize,
        amount: u64,
    },
    WithdrawFees {
        amount: u64,
    },
    Commit {
        worker: usize,
        task: usize,
        answer: usize,
    },
    /// A committed (task, worker) pair picked by `pick`; `honest = false` reveals a different
    /// answer than committed.
    Reveal {
        pick: usize,
        honest: bool,
    },
    Finalize {
        task: usize,
    },
    RevealGold {
        task: usize,
    },
    /// Settles a committed (task, worker) pair picked by `pick`.
    Claim {
        pick: usize,
    },
    Close {
        task: usize,
    },
    /// On the task of the committed pair picked by `pick`, by its worker or by the requester.
    OpenDispute {
        pick: usize,
        by_requester: bool,
    },
    /// On the dispute picked by `pick` among those opened; `voter` counts appointed members then
    /// workers (who may have joined the chamber).
    Vote {
        voter: usize,
        pick: usize,
        choice: u8,
    },
    Resolve {
        pick: usize,
    },
    CloseVote {
        voter: usize,
        pick: usize,
    },
    JoinChamber {
        worker: usize,
        amount: u64,
    },
    Leave {
        worker: usize,
    },
    Release {
        worker: usize,
    },
    /// An actor does something to its own accounts.
    Sabotage {
        actor: usize,
        how: Sabotage,
    },
    /// The thief tries to take a worker's reward or balance.
    Steal {
        task: usize,
        worker: usize,
    },
    Warp {
        seconds: i64,
    },
    /// Every worker with `Some(answer)` commits it to the task.
    Crowd {
        task: usize,
        answers: Vec<Option<usize>>,
    },
    /// Every committed worker of the task reveals; those in `liars` (bit i = worker i) reveal a
    /// different answer than committed.
    RevealAll {
        task: usize,
        liars: u8,
    },
    /// A crank claims every open submission of the task, then closes it.
    Settle {
        task: usize,
    },
    /// Moves the clock to the next deadline of the task picked by `task`.
    Advance {
        task: usize,
    },
    /// Drives a task to finalized: the workers commit `answers`, everyone reveals once the commit
    /// phase is over, a crank finalizes.
    Drive {
        task: usize,
        answers: Vec<Option<usize>>,
        settle: bool,
    },
    /// A court session on a finalized task: someone opens a dispute, the appointed members (and
    /// chamber workers) vote `choices` (`None` = abstain), and a crank tries to resolve.
    Court {
        task: usize,
        by_requester: bool,
        choices: Vec<Option<u8>>,
    },
}

impl Action {
    fn kind(&self) -> &'static str {
        match self {
            Action::CreateTask { .. } => "create_task",
            Action::Cancel { .. } => "cancel_task",
            Action::Deposit { .. } => "deposit",
            Action::Withdraw { .. } => "withdraw",
            Action::WithdrawFees { .. } => "withdraw_fees",
            Action::Commit { .. } => "commit_answer",
            Action::Reveal { .. } => "reveal_answer",
            Action::Finalize { .. } => "finalize_task",
            Action::RevealGold { .. } => "reveal_gold",
            Action::Claim { .. } => "claim",
            Action::Close { .. } => "close_task",
            Action::OpenDispute { .. } => "open_dispute",
            Action::Vote { .. } => "cast_vote",
            Action::Resolve { .. } => "resolve_dispute",
            Action::CloseVote { .. } => "close_vote",
            Action::JoinChamber { .. } => "join_worker_chamber",
            Action::Leave { .. } => "leave_membership",
            Action::Release { .. } => "release_chamber_stake",
            Action::Sabotage { .. } => "sabotage (own accounts)",
            Action::Steal { .. } => "thief (must fail)",
            Action::Warp { .. } => "warp",
            Action::Advance { .. } => "advance",
            Action::Crowd { .. } => "commit_answer (crowd)",
            Action::Settle { .. } => "claim + close (settle)",
            Action::RevealAll { .. } => "reveal_answer (all)",
            Action::Drive { .. } => "drive to finalized",
            Action::Court { .. } => "dispute (court session)",
        }
    }
}

/// Per action kind and outcome ("ok" or the error code): how many transactions, over the run.
static STATS: Mutex<BTreeMap<String, u64>> = Mutex::new(BTreeMap::new());

fn action() -> impl Strategy<Value = Action> {
    let (r, w, t, a) = (0..REQUESTERS, 0..WORKERS, 0..8usize, 0..ACTORS);
    let voter = 0..MEMBERS + WORKERS;
    let pick = any::<usize>;
    let sabotage = prop_oneof![
        Just(Sabotage::ReassignTokenAccount),
        Just(Sabotage::CloseTokenAccount),
        Just(Sabotage::FrozenByIssuer),
        Just(Sabotage::AssignWallet),
        Just(Sabotage::ExecutableWallet)
    ];
    prop_oneof![
        2 => (r, prop_oneof![3 => 1u8..=3, 1 => 4u8..=5], 10_000u64..200_000, 600u32..14_400, proptest::option::weighted(0.3, 0..ANSWERS.len()))
            .prop_map(|(requester, answers, reward, commit_window, gold)| Action::CreateTask { requester, answers, reward, commit_window, gold }),
        1 => t.clone().prop_map(|task| Action::Cancel { task }),
        1 => (a.clone(), 1u64..3_000_000).prop_map(|(actor, amount)| Action::Deposit { actor, amount }),
        1 => (a.clone(), 1u64..3_000_000).prop_map(|(actor, amount)| Action::Withdraw { actor, amount }),
        1 => (1u64..100_000).prop_map(|amount| Action::WithdrawFees { amount }),
        5 => (w.clone(), t.clone(), 0..ANSWERS.len()).prop_map(|(worker, task, answer)| Action::Commit { worker, task, answer }),
        4 => (pick(), prop::bool::weighted(0.9)).prop_map(|(pick, honest)| Action::Reveal { pick, honest }),
        2 => t.clone().prop_map(|task| Action::Finalize { task }),
        1 => t.clone().prop_map(|task| Action::RevealGold { task }),
        3 => pick().prop_map(|pick| Action::Claim { pick }),
        2 => t.clone().prop_map(|task| Action::Close { task }),
        2 => (pick(), any::<bool>()).prop_map(|(pick, by_requester)| Action::OpenDispute { pick, by_requester }),
        3 => (voter.clone(), pick(), 0u8..4).prop_map(|(voter, pick, choice)| Action::Vote { voter, pick, choice }),
        1 => pick().prop_map(|pick| Action::Resolve { pick }),
        1 => (voter, pick()).prop_map(|(voter, pick)| Action::CloseVote { voter, pick }),
        3 => (w.clone(), 100_000u64..2_000_000).prop_map(|(worker, amount)| Action::JoinChamber { worker, amount }),
        1 => w.clone().prop_map(|worker| Action::Leave { worker }),
        1 => w.clone().prop_map(|worker| Action::Release { worker }),
        2 => (a, sabotage).prop_map(|(actor, how)| Action::Sabotage { actor, how }),
        1 => (t.clone(), w).prop_map(|(task, worker)| Action::Steal { task, worker }),
        3 => t.clone().prop_map(|task| Action::Advance { task }),
        2 => t.clone().prop_map(|task| Action::Settle { task }),
        4 => (t.clone(), proptest::collection::vec(proptest::option::weighted(0.7, 0..ANSWERS.len()), WORKERS)).prop_map(|(task, answers)| Action::Crowd { task, answers }),
        3 => (t.clone(), prop_oneof![4 => Just(0u8), 1 => any::<u8>()]).prop_map(|(task, liars)| Action::RevealAll { task, liars }),
        3 => (t.clone(), proptest::collection::vec(proptest::option::weighted(0.8, 0..ANSWERS.len()), WORKERS)).prop_flat_map(|(task, answers)| any::<bool>().prop_map(move |settle| Action::Drive { task, answers: answers.clone(), settle })),
        3 => (t, any::<bool>(), proptest::collection::vec(proptest::option::weighted(0.8, 0u8..3), MEMBERS + WORKERS)).prop_map(|(task, by_requester, choices)| Action::Court { task, by_requester, choices }),
        2 => prop_oneof![3 => Just(60i64), 3 => Just(1800), 1 => Just(4 * 3600), 1 => Just(DISPUTE_WINDOW), 1 => Just(3 * DISPUTE_WINDOW)].prop_map(|seconds| Action::Warp { seconds }),
    ]
}

/// What the test remembers that the chain does not tell: who answered what, with which salt,
/// and which token accounts exist.
struct World {
    env: TestEnv,
    actors: Vec<Keypair>,
    thief: Keypair,
    tasks: Vec<TaskRef>,
    /// Gold answer index of each task that sealed one.
    gold: HashMap<usize, usize>,
    /// (task index, worker index) -> answer index committed.
    committed: HashMap<(usize, usize), usize>,
    openers: HashMap<usize, Pubkey>,
    /// Where each actor receives tokens now: its ATA, or a fresh account after sabotage.
    receiving: Vec<Pubkey>,
    /// Every token account of the mint the test knows of (conservation is summed over them).
    token_accounts: Vec<Pubkey>,
    minted: u64,
    accepted: u64,
    /// The kind of the action being applied, for the statistics.
    current: Option<&'static str>,
}

const FUNDS: u64 = 20 * USDC;

impl World {
    async fn new() -> Self {
        let mut env = TestEnv::new().await;
        let (payer, authority) = (env.payer(), env.authority.insecure_clone());
        let usdc = env.usdc;
        let limits = MintLimits {
            chamber_min_rewards: CHAMBER_MIN_REWARDS_HERE,
            chamber_stake_per_weight: CHAMBER_PRICE,
            ..default_limits()
        };
        env.execute(&[ix::allow_mint(&payer, &authority.pubkey(), usdc, limits)], &[&authority]).await;
        let mut actors = Vec::new();
        for _ in 0..REQUESTERS {
            actors.push(env.requester(FUNDS).await);
        }
        for _ in 0..WORKERS {
            actors.push(env.worker(2 * USDC).await);
        }
        for _ in 0..MEMBERS {
            actors.push(env.member(MEMBER_WEIGHT).await);
        }
        actors.push(env.treasury.insecure_clone());
        let thief = env.worker(USDC).await;
        let mut minted = REQUESTERS as u64 * FUNDS + WORKERS as u64 * 2 * USDC + USDC;
        // Everyone also holds some tokens in their wallet, to deposit.
        for actor in &actors {
            env.mint_to(usdc, &actor.pubkey(), 2 * USDC).await;
            minted += 2 * USDC;
        }
        env.mint_to(usdc, &thief.pubkey(), 0).await;
        env.warp_by(1).await; // the appointed members predate every dispute
        let receiving: Vec<Pubkey> = actors.iter().map(|actor| usdc.ata(&actor.pubkey())).collect();
        let mut token_accounts = receiving.clone();
        token_accounts.push(usdc.ata(&thief.pubkey()));
        Self {
            env,
            actors,
            thief,
            tasks: Vec::new(),
            gold: HashMap::new(),
            committed: HashMap::new(),
            openers: HashMap::new(),
            receiving,
            token_accounts,
            minted,
            accepted: 0,
            current: None,
        }
    }

    fn requester(&self, i: usize) -> Keypair {
        self.actors[i].insecure_clone()
    }

    fn worker(&self, i: usize) -> Keypair {
        self.actors[REQUESTERS + i].insecure_clone()
    }

    /// Appointed members first, then the workers (chamber members when they joined).
    fn voter(&self, i: usize) -> Keypair {
        if i < MEMBERS {
            self.actors[REQUESTERS + WORKERS + i].insecure_clone()
        } else {
            self.worker(i - MEMBERS)
        }
    }

    /// One of the three newest tasks: older ones are mostly settled, and the wind-down reaches
    /// them all anyway.
    fn task(&self, index: usize) -> Option<(usize, TaskRef)> {
        let len = self.tasks.len();
        (len > 0).then(|| {
            let i = len - 1 - index % len.min(3);
            (i, self.tasks[i])
        })
    }

    /// A committed (task index, worker index, answer index), picked among all commits so far.
    fn committed_pair(&self, pick: usize) -> Option<(usize, usize, usize)> {
        let mut pairs: Vec<_> = self.committed.iter().map(|(&(t, w), &a)| (t, w, a)).collect();
        pairs.sort_unstable();
        (!pairs.is_empty()).then(|| pairs[pick % pairs.len()])
    }

    /// A disputed task (index, opener), picked among all disputes opened so far.
    fn dispute(&self, pick: usize) -> Option<(usize, Pubkey)> {
        let mut disputes: Vec<_> = self.openers.iter().map(|(&t, &o)| (t, o)).collect();
        disputes.sort_unstable();
        (!disputes.is_empty()).then(|| disputes[pick % disputes.len()])
    }

    fn requester_of(&self, task: &TaskRef) -> Keypair {
        self.actors.iter().find(|r| r.pubkey() == task.requester).unwrap().insecure_clone()
    }

    async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> bool {
        let result = self.env.try_send(ixs, signers).await;
        self.record(result)
    }

    /// Counts a transaction's outcome by action kind; whether it was accepted.
    fn record(&mut self, result: Result<(), TransactionError>) -> bool {
        let ok = result.is_ok();
        let kind = self.current.unwrap_or("wind-down");
        let outcome = match result {
            Ok(()) => "ok".to_string(),
            Err(err) => match custom_error_code(&err) {
                Some(code) => {
                    pob_cli::program_error::describe_code(code).map_or(code.to_string(), |(name, _)| name)
                }
                None => format!("{err:?}"),
            },
        };
        *STATS.lock().unwrap().entry(format!("{kind}: {outcome}")).or_default() += 1;
        if ok {
            self.accepted += 1;
        }
        ok
    }

    async fn task_state(&mut self, task: &TaskRef) -> Option<Task> {
        let account = self.env.raw_account(task.address).await?;
        Some(*TaskView::parse(&account.data).ok()?.header)
    }

    /// A fresh token account of the mint owned by `owner`, remembered for the books.
    async fn fresh_token_account(&mut self, owner: &Pubkey) -> Pubkey {
        let account = self.env.fresh_token_account(owner).await;
        self.token_accounts.push(account);
        account
    }

    /// `how` done to an actor's receiving token account or wallet (or by its issuer); the actor
    /// then receives at a fresh token account of its own, as a real owner would.
    async fn sabotage(&mut self, actor: usize, how: Sabotage) {
        let victim = self.actors[actor].insecure_clone();
        let key = victim.pubkey();
        let receiving = self.receiving[actor];
        let Some(account) = self.env.raw_account(receiving).await else { return };
        if account.owner != self.env.usdc.token_program {
            return;
        }
        // A closed account's tokens go to a fresh account of the owner's first.
        let drain_to = match how {
            Sabotage::CloseTokenAccount => Some(self.fresh_token_account(&key).await),
            _ => None,
        };
        let Some(outcome) = self.env.sabotage(&victim, receiving, how, drain_to).await else { return };
        if self.record(outcome) {
            match (how, drain_to) {
                (_, Some(fresh)) => self.receiving[actor] = fresh,
                (Sabotage::ReassignTokenAccount | Sabotage::FrozenByIssuer, None) => {
                    self.receiving[actor] = self.fresh_token_account(&key).await
                }
                _ => {}
            }
        }
    }

    async fn apply(&mut self, action: &Action) {
        self.current = Some(action.kind());
        let usdc = self.env.usdc;
        match *action {
            Action::CreateTask { requester, answers, reward, commit_window, gold } => {
                let requester = self.requester(requester);
                let mut args = self.env.task_args();
                args.answers_required = answers;
                args.quorum = answers / 2 + 1;
                args.reward_per_answer = reward;
                args.commit_window_secs = commit_window;
                args.reveal_window_secs = 3600;
                let task = self.env.task_ref(&requester.pubkey(), &args);
                args.gold_seal =
                    gold.map(|g| gold_seal(&task.address.to_bytes(), &answer_hash(ANSWERS[g]), &GOLD_SALT));
                let ixs = self.env.create_task_ixs(&requester.pubkey(), args).await;
                if self.send(&ixs, &[&requester]).await {
                    if let Some(g) = gold {
                        self.gold.insert(self.tasks.len(), g);
                    }
                    self.tasks.push(task);
                }
            }
            Action::Cancel { task } => {
                let Some((_, task)) = self.task(task) else { return };
                let requester = self.requester_of(&task);
                self.send(&[ix::cancel_task(&task)], &[&requester]).await;
            }
            Action::Deposit { actor, amount } => {
                let owner = self.actors[actor].insecure_clone();
                let mut ixs = self.env.open_balance_if_needed(&owner.pubkey()).await;
                ixs.push(ix::deposit(&owner.pubkey(), usdc, &self.receiving[actor], amount));
                self.send(&ixs, &[&owner]).await;
            }
            Action::Withdraw { actor, amount } => {
                let owner = self.actors[actor].insecure_clone();
                let to = self.receiving[actor];
                self.send(&[ix::withdraw(&owner.pubkey(), usdc, &to, amount)], &[&owner]).await;
            }
            Action::WithdrawFees { amount } => {
                let treasury = self.actors[ACTORS - 1].insecure_clone();
                let to = self.receiving[ACTORS - 1];
                self.send(&[ix::withdraw_fees(&treasury.pubkey(), usdc, &to, amount)], &[&treasury]).await;
            }
            Action::Commit { worker, task, answer } => {
                let Some((t, task_ref)) = self.task(task) else { return };
                let key = self.worker(worker);
                let commitment = commitment_for(&task_ref, &key.pubkey(), ANSWERS[answer]);
                if self.send(&[ix::commit_answer(&key.pubkey(), &task_ref, commitment)], &[&key]).await {
                    self.committed.insert((t, worker), answer);
                }
            }
            Action::Reveal { pick, honest } => {
                let Some((t, w, answer)) = self.committed_pair(pick) else { return };
                let (task_ref, key) = (self.tasks[t], self.worker(w));
                let answer = if honest { answer } else { (answer + 1) % ANSWERS.len() };
                let salt = salt_for(&task_ref, &key.pubkey());
                let hash = answer_hash(ANSWERS[answer]);
                self.send(&[ix::reveal_answer(&key.pubkey(), &task_ref.address, hash, salt)], &[&key]).await;
            }
            Action::Finalize { task } => {
                let Some((_, task)) = self.task(task) else { return };
                self.send(&[ix::finalize_task(&task.address)], &[]).await;
            }
            Action::RevealGold { task } => {
                let Some((t, task_ref)) = self.task(task) else { return };
                let Some(&gold) = self.gold.get(&t) else { return };
                let requester = self.requester_of(&task_ref);
                self.send(
                    &[ix::reveal_gold(&task_ref, answer_hash(ANSWERS[gold]), GOLD_SALT)],
                    &[&requester],
                )
                .await;
            }
            Action::Claim { pick } => {
                let Some((t, w, _)) = self.committed_pair(pick) else { return };
                let (task, worker) = (self.tasks[t], self.worker(w).pubkey());
                self.send(&[ix::claim(&task, &worker)], &[]).await;
            }
            Action::Close { task } => {
                let Some((_, task)) = self.task(task) else { return };
                self.send(&[ix::close_task(&task)], &[]).await;
            }
            Action::OpenDispute { pick, by_requester } => {
                let Some((t, w, _)) = self.committed_pair(pick) else { return };
                let task_ref = self.tasks[t];
                let opener = if by_requester { self.requester_of(&task_ref) } else { self.worker(w) };
                let open = ix::open_dispute(Opener::of(&task_ref, opener.pubkey()), &task_ref, [1; 32]);
                if self.send(&[open], &[&opener]).await {
                    self.openers.insert(t, opener.pubkey());
                }
            }
            Action::Vote { voter, pick, choice } => {
                let Some((t, _)) = self.dispute(pick) else { return };
                let (task, voter) = (self.tasks[t], self.voter(voter));
                let ixs = self.env.vote_ixs(&voter.pubkey(), &task, choice).await;
                self.send(&ixs, &[&voter]).await;
            }
            Action::Resolve { pick } => {
                let Some((t, opener)) = self.dispute(pick) else { return };
                let task = self.tasks[t];
                self.send(&[ix::resolve_dispute(&task, Opener::of(&task, opener))], &[]).await;
            }
            Action::CloseVote { voter, pick } => {
                let Some((t, _)) = self.dispute(pick) else { return };
                let (task, voter) = (self.tasks[t], self.voter(voter).pubkey());
                self.send(&[ix::close_vote(&task.address, &voter)], &[]).await;
            }
            Action::JoinChamber { worker, amount } => {
                let worker = self.worker(worker);
                self.send(&[ix::join_worker_chamber(&worker.pubkey(), &usdc.mint, amount)], &[&worker]).await;
            }
            Action::Leave { worker } => {
                let worker = self.worker(worker);
                let key = worker.pubkey();
                self.send(&[ix::leave_membership(&key, &key, Some(&usdc.mint))], &[&worker]).await;
            }
            Action::Release { worker } => {
                let worker = self.worker(worker);
                self.send(&[ix::release_chamber_stake(&worker.pubkey(), &usdc.mint)], &[&worker]).await;
            }
            Action::Sabotage { actor, how } => self.sabotage(actor, how).await,
            Action::Steal { task, worker } => {
                let Some((_, task)) = self.task(task) else { return };
                let (victim, thief) = (self.worker(worker).pubkey(), self.thief.insecure_clone());
                let redirected = with_account(
                    ix::claim(&task, &victim),
                    &pda::balance(&victim, &usdc.mint),
                    &pda::balance(&thief.pubkey(), &usdc.mint),
                );
                assert!(!self.send(&[redirected], &[]).await, "a reward was credited to the thief");
                let posing = with_account(
                    ix::withdraw(&thief.pubkey(), usdc, &usdc.ata(&thief.pubkey()), 1),
                    &pda::balance(&thief.pubkey(), &usdc.mint),
                    &pda::balance(&victim, &usdc.mint),
                );
                assert!(!self.send(&[posing], &[&thief]).await, "the thief withdrew a worker's balance");
                let rent = with_account(ix::claim(&task, &victim), &victim, &thief.pubkey());
                assert!(!self.send(&[rent], &[]).await, "the thief took a submission's rent");
            }
            Action::Warp { seconds } => self.env.warp_by(seconds).await,
            Action::Crowd { task, ref answers } => {
                let Some((t, task_ref)) = self.task(task) else { return };
                for (w, answer) in answers.iter().enumerate() {
                    let Some(answer) = *answer else { continue };
                    let key = self.worker(w);
                    let commitment = commitment_for(&task_ref, &key.pubkey(), ANSWERS[answer]);
                    if self.send(&[ix::commit_answer(&key.pubkey(), &task_ref, commitment)], &[&key]).await {
                        self.committed.insert((t, w), answer);
                    }
                }
            }
            Action::RevealAll { task, liars } => {
                let Some((t, task_ref)) = self.task(task) else { return };
                for w in 0..WORKERS {
                    let Some(&answer) = self.committed.get(&(t, w)) else { continue };
                    let key = self.worker(w);
                    let answer = if liars & (1 << w) == 0 { answer } else { (answer + 1) % ANSWERS.len() };
                    let salt = salt_for(&task_ref, &key.pubkey());
                    let hash = answer_hash(ANSWERS[answer]);
                    self.send(&[ix::reveal_answer(&key.pubkey(), &task_ref.address, hash, salt)], &[&key])
                        .await;
                }
            }
            Action::Settle { task } => {
                let Some((_, task)) = self.task(task) else { return };
                self.settle(&task).await;
            }
            Action::Drive { task, ref answers, settle } => {
                let Some((t, task_ref)) = self.task(task) else { return };
                for (w, answer) in answers.iter().enumerate() {
                    let Some(answer) = *answer else { continue };
                    let key = self.worker(w);
                    let commitment = commitment_for(&task_ref, &key.pubkey(), ANSWERS[answer]);
                    if self.send(&[ix::commit_answer(&key.pubkey(), &task_ref, commitment)], &[&key]).await {
                        self.committed.insert((t, w), answer);
                    }
                }
                let Some(state) = self.task_state(&task_ref).await else { return };
                if state.state != TASK_OPEN {
                    return;
                }
                if !state.commit_phase_over(self.env.now()) {
                    self.env.warp_to(state.commit_deadline).await;
                }
                for w in 0..WORKERS {
                    let Some(&answer) = self.committed.get(&(t, w)) else { continue };
                    let key = self.worker(w);
                    let salt = salt_for(&task_ref, &key.pubkey());
                    let hash = answer_hash(ANSWERS[answer]);
                    self.send(&[ix::reveal_answer(&key.pubkey(), &task_ref.address, hash, salt)], &[&key])
                        .await;
                }
                if self.send(&[ix::finalize_task(&task_ref.address)], &[]).await && settle {
                    self.env.warp_by(DISPUTE_WINDOW).await;
                    self.settle(&task_ref).await;
                }
            }
            Action::Court { task, by_requester, ref choices } => {
                // The task picked, or the next one still in its dispute window.
                let now = self.env.now();
                let mut found = None;
                for offset in 0..self.tasks.len() {
                    let t = (task + offset) % self.tasks.len();
                    let task_ref = self.tasks[t];
                    if let Some(state) = self.task_state(&task_ref).await {
                        if state.state == TASK_FINALIZED && now < state.dispute_deadline {
                            found = Some((t, task_ref));
                            break;
                        }
                    }
                }
                let Some((t, task_ref)) = found else { return };
                let opener = if by_requester {
                    Some(self.requester_of(&task_ref))
                } else {
                    let revealed = (0..WORKERS).find(|w| self.committed.contains_key(&(t, *w)));
                    revealed.map(|w| self.worker(w))
                };
                let Some(opener) = opener else { return };
                let open = ix::open_dispute(Opener::of(&task_ref, opener.pubkey()), &task_ref, [2; 32]);
                if self.send(&[open], &[&opener]).await {
                    self.openers.insert(t, opener.pubkey());
                }
                for (voter, choice) in choices.iter().enumerate() {
                    let Some(choice) = *choice else { continue };
                    let voter = self.voter(voter);
                    if !self.env.exists(pda::member(&voter.pubkey())).await {
                        continue;
                    }
                    let ixs = self.env.vote_ixs(&voter.pubkey(), &task_ref, choice).await;
                    self.send(&ixs, &[&voter]).await;
                }
                let opener = self.openers.get(&t).copied().unwrap_or(opener.pubkey());
                self.send(&[ix::resolve_dispute(&task_ref, Opener::of(&task_ref, opener))], &[]).await;
            }
            Action::Advance { task } => {
                let Some((_, task_ref)) = self.task(task) else { return };
                let Some(task) = self.task_state(&task_ref).await else { return };
                let now = self.env.now();
                let next = match task.state {
                    TASK_OPEN if now < task.commit_deadline => task.commit_deadline,
                    TASK_OPEN => task.reveal_deadline,
                    TASK_FINALIZED => task.dispute_deadline,
                    _ => self.env.state::<Dispute>(pda::dispute(&task_ref.address)).await.vote_deadline,
                };
                if next > now {
                    self.env.warp_to(next).await;
                }
            }
        }
    }

    /// A crank claims every open submission of `task`, then closes it.
    async fn settle(&mut self, task: &TaskRef) {
        for w in 0..WORKERS {
            let worker = self.worker(w).pubkey();
            if self.env.exists(pda::submission(&task.address, &worker)).await {
                self.send(&[ix::claim(task, &worker)], &[]).await;
            }
        }
        self.send(&[ix::close_task(task)], &[]).await;
    }

    async fn check_invariants(&mut self) {
        let usdc = self.env.usdc;
        // Conservation over every token account.
        let mut total = self.env.token_balance(usdc.vault()).await;
        for account in self.token_accounts.clone() {
            total += self.env.token_balance(account).await;
        }
        assert_eq!(total, self.minted, "tokens are conserved");
        // The books.
        self.env.assert_books_balance().await;
        // Task solvency and locked stake.
        let mut locked_by_worker = [0u64; WORKERS];
        for (t, task_ref) in self.tasks.clone().into_iter().enumerate() {
            let Some(task) = self.task_state(&task_ref).await else { continue };
            assert!(
                task.rewards_paid <= u64::from(task.answers_required) * task.reward_per_answer,
                "task {t} paid within its rewards"
            );
            assert!(task.rewards_paid <= task.deposit, "task {t} solvent");
            if task.state == TASK_DISPUTED {
                assert!(self.env.exists(pda::dispute(&task_ref.address)).await);
            }
            for (w, locked) in locked_by_worker.iter_mut().enumerate() {
                if self.env.exists(pda::submission(&task_ref.address, &self.worker(w).pubkey())).await {
                    *locked += task.stake_per_answer;
                }
            }
        }
        for (w, locked) in locked_by_worker.into_iter().enumerate() {
            let key = self.worker(w).pubkey();
            let balance = self.env.balance_of(&key).await;
            assert_eq!(balance.locked, locked, "worker {w}: locked = stake of open submissions");
            match self.env.raw_account(pda::member(&key)).await {
                Some(account) => {
                    let member: Member = read_state(&account.data).unwrap();
                    assert_eq!(
                        member.weight,
                        balance.chamber_locked / CHAMBER_PRICE,
                        "worker {w}: weight follows stake"
                    );
                    assert_eq!(balance.chamber_member, 1);
                }
                None => assert_eq!(balance.chamber_member, 0),
            }
        }
    }

    /// Runs the clock past every deadline, cranks every task to closed, and has every owner take
    /// everything out.
    async fn wind_down(&mut self) {
        self.current = None;
        let usdc = self.env.usdc;
        self.env.warp_by(10 * DISPUTE_WINDOW).await;
        for task in self.tasks.clone() {
            if self.env.exists(task.address).await {
                self.send(&[ix::finalize_task(&task.address)], &[]).await;
            }
        }
        // Finalizing opened fresh dispute windows: let them (and any vote) run out.
        self.env.warp_by(10 * DISPUTE_WINDOW).await;
        for (t, task) in self.tasks.clone().into_iter().enumerate() {
            if !self.env.exists(task.address).await {
                continue;
            }
            if let Some(opener) = self.openers.get(&t).copied() {
                if self.env.exists(pda::dispute(&task.address)).await {
                    assert!(
                        self.send(&[ix::resolve_dispute(&task, Opener::of(&task, opener))], &[]).await,
                        "task {t}: dispute resolves"
                    );
                }
            }
            for w in 0..WORKERS {
                let worker = self.worker(w).pubkey();
                if self.env.exists(pda::submission(&task.address, &worker)).await {
                    assert!(
                        self.send(&[ix::claim(&task, &worker)], &[]).await,
                        "task {t}: worker {w} settled"
                    );
                }
            }
            assert!(self.send(&[ix::close_task(&task)], &[]).await, "task {t} closes");
        }
        self.check_invariants().await;
        // Chamber members leave; a vote window later their stake is free.
        for w in 0..WORKERS {
            let worker = self.worker(w);
            let key = worker.pubkey();
            if self.env.exists(pda::member(&key)).await {
                assert!(self.send(&[ix::leave_membership(&key, &key, Some(&usdc.mint))], &[&worker]).await);
            }
        }
        self.env.warp_by(VOTE_WINDOW).await;
        for w in 0..WORKERS {
            let worker = self.worker(w);
            if self.env.balance_of(&worker.pubkey()).await.chamber_locked > 0 {
                assert!(
                    self.send(&[ix::release_chamber_stake(&worker.pubkey(), &usdc.mint)], &[&worker]).await
                );
            }
        }
        // Every owner withdraws everything, whatever they did to their accounts.
        for actor in 0..ACTORS {
            let owner = self.actors[actor].insecure_clone();
            let balance = self.env.balance_of(&owner.pubkey()).await;
            assert_eq!((balance.locked, balance.chamber_locked), (0, 0), "actor {actor}: all free");
            if balance.free > 0 {
                let to = self.receiving[actor];
                assert!(
                    self.send(&[ix::withdraw(&owner.pubkey(), usdc, &to, balance.free)], &[&owner]).await,
                    "actor {actor} withdraws"
                );
            }
        }
        let thief = self.thief.insecure_clone();
        let free = self.env.free(&thief.pubkey()).await;
        if free > 0 {
            assert!(
                self.send(
                    &[ix::withdraw(&thief.pubkey(), usdc, &usdc.ata(&thief.pubkey()), free)],
                    &[&thief]
                )
                .await
            );
        }
        let fees = self.env.fees().await.accrued;
        if fees > 0 {
            let treasury = self.actors[ACTORS - 1].insecure_clone();
            let to = self.receiving[ACTORS - 1];
            assert!(self.send(&[ix::withdraw_fees(&treasury.pubkey(), usdc, &to, fees)], &[&treasury]).await);
        }
        assert_eq!(self.env.token_balance(usdc.vault()).await, 0, "the vault ends empty");
        self.check_invariants().await;
    }
}

fn env_or(name: &str, default: u32) -> u32 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

static SEQUENCES: AtomicU64 = AtomicU64::new(0);
static STEPS: AtomicU64 = AtomicU64::new(0);
static ACCEPTED: AtomicU64 = AtomicU64::new(0);

proptest! {
    #![proptest_config(ProptestConfig { cases: env_or("POB_FUZZ_CASES", 12), ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_keep_every_invariant(actions in proptest::collection::vec(action(), 20..=env_or("POB_FUZZ_STEPS", 60).max(20) as usize)) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let mut world = World::new().await;
            world.check_invariants().await;
            for action in &actions {
                world.apply(action).await;
                world.check_invariants().await;
            }
            world.wind_down().await;
            SEQUENCES.fetch_add(1, Ordering::Relaxed);
            STEPS.fetch_add(actions.len() as u64, Ordering::Relaxed);
            ACCEPTED.fetch_add(world.accepted, Ordering::Relaxed);
            println!(
                "sequences {} steps {} accepted transactions {} | accepted/rejected by kind: {:?}",
                SEQUENCES.load(Ordering::Relaxed),
                STEPS.load(Ordering::Relaxed),
                ACCEPTED.load(Ordering::Relaxed),
                STATS.lock().unwrap()
            );
        });
    }
}
