//! Stateful property test: random sequences of actions by random actors (requesters, workers,
//! DAO members, a crank, a thief) with random arguments and clock jumps, against the real bank.
//! After every step:
//! - conservation: the tokens in all wallets, vaults and the treasury equal what was minted;
//! - every task vault holds exactly what its task still owes (deposit + slashed stake + an open
//!   dispute's bond - rewards paid);
//! - each worker's locked stake equals the stake of their open submissions, and the stake vault
//!   holds exactly the sum of all stakes;
//! - a rejected transaction changed no account it named (`TestEnv::try_send`).
//!
//! At the end the clock runs past every deadline and a crank finalizes, resolves, claims and
//! closes: every task must reach "closed" and every stake must be free again.
//!
//! `cargo test` runs `POB_FUZZ_CASES` sequences (default 12) of 20 to `POB_FUZZ_STEPS` steps
//! (default 60): about 550 steps in 25 s. A long campaign: `POB_FUZZ_CASES=1000
//! POB_FUZZ_STEPS=80 cargo test -p proof-of-brain-tests --test invariants -- --nocapture` (it
//! prints, per action kind, how many transactions were accepted or rejected and why).
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use anchor_lang::prelude::Pubkey;
use pob_cli::ix::{self, TaskRef};
use pob_cli::pda;
use proof_of_brain::logic::commitment::answer_hash;
use proof_of_brain::state::{Dispute, Stake, Task, TaskState};
use proof_of_brain_tests::*;
use proptest::prelude::*;
use solana_sdk::signature::{Keypair, Signer};

const REQUESTERS: usize = 2;
const WORKERS: usize = 5;
const MEMBERS: usize = 3;
const ANSWERS: [&[u8]; 3] = [b"cat", b"dog", b"fox"];

#[derive(Clone, Debug)]
enum Action {
    CreateTask {
        requester: usize,
        answers: u8,
        reward: u64,
        commit_window: i64,
    },
    Cancel {
        task: usize,
    },
    Stake {
        worker: usize,
        amount: u64,
    },
    Unstake {
        worker: usize,
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
    /// On the dispute picked by `pick` among those opened.
    Vote {
        member: usize,
        pick: usize,
        choice: u8,
    },
    Resolve {
        pick: usize,
    },
    CloseVote {
        member: usize,
        pick: usize,
    },
    /// The thief tries to take a worker's reward, or to unstake a worker's stake.
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
}

impl Action {
    fn kind(&self) -> &'static str {
        match self {
            Action::CreateTask { .. } => "create_task",
            Action::Cancel { .. } => "cancel_task",
            Action::Stake { .. } => "stake",
            Action::Unstake { .. } => "unstake",
            Action::Commit { .. } => "commit_answer",
            Action::Reveal { .. } => "reveal_answer",
            Action::Finalize { .. } => "finalize_task",
            Action::Claim { .. } => "claim",
            Action::Close { .. } => "close_task",
            Action::OpenDispute { .. } => "open_dispute",
            Action::Vote { .. } => "cast_vote",
            Action::Resolve { .. } => "resolve_dispute",
            Action::CloseVote { .. } => "close_vote",
            Action::Steal { .. } => "thief (must fail)",
            Action::Warp { .. } => "warp",
            Action::Advance { .. } => "advance",
            Action::Crowd { .. } => "commit_answer (crowd)",
            Action::Settle { .. } => "claim + close (settle)",
            Action::RevealAll { .. } => "reveal_answer (all)",
        }
    }
}

/// Per action kind and outcome ("ok" or the error code): how many transactions, over the run.
static STATS: Mutex<BTreeMap<String, u64>> = Mutex::new(BTreeMap::new());

fn action() -> impl Strategy<Value = Action> {
    let (r, w, t, m) = (0..REQUESTERS, 0..WORKERS, 0..8usize, 0..MEMBERS);
    let pick = any::<usize>;
    prop_oneof![
        1 => (r, prop_oneof![3 => 1u8..=3, 1 => 4u8..=5], 10_000u64..200_000, 7200i64..28_800).prop_map(|(requester, answers, reward, commit_window)| Action::CreateTask { requester, answers, reward, commit_window }),
        1 => t.clone().prop_map(|task| Action::Cancel { task }),
        1 => (w.clone(), 1u64..3_000_000).prop_map(|(worker, amount)| Action::Stake { worker, amount }),
        1 => (w.clone(), 1u64..3_000_000).prop_map(|(worker, amount)| Action::Unstake { worker, amount }),
        6 => (w.clone(), t.clone(), 0..ANSWERS.len()).prop_map(|(worker, task, answer)| Action::Commit { worker, task, answer }),
        5 => (pick(), prop::bool::weighted(0.9)).prop_map(|(pick, honest)| Action::Reveal { pick, honest }),
        2 => t.clone().prop_map(|task| Action::Finalize { task }),
        3 => pick().prop_map(|pick| Action::Claim { pick }),
        2 => t.clone().prop_map(|task| Action::Close { task }),
        2 => (pick(), any::<bool>()).prop_map(|(pick, by_requester)| Action::OpenDispute { pick, by_requester }),
        3 => (m.clone(), pick(), 0u8..4).prop_map(|(member, pick, choice)| Action::Vote { member, pick, choice }),
        1 => pick().prop_map(|pick| Action::Resolve { pick }),
        1 => (m, pick()).prop_map(|(member, pick)| Action::CloseVote { member, pick }),
        1 => (t.clone(), w).prop_map(|(task, worker)| Action::Steal { task, worker }),
        3 => t.clone().prop_map(|task| Action::Advance { task }),
        2 => t.clone().prop_map(|task| Action::Settle { task }),
        4 => (t.clone(), proptest::collection::vec(proptest::option::weighted(0.7, 0..ANSWERS.len()), WORKERS)).prop_map(|(task, answers)| Action::Crowd { task, answers }),
        3 => (t, prop_oneof![4 => Just(0u8), 1 => any::<u8>()]).prop_map(|(task, liars)| Action::RevealAll { task, liars }),
        2 => prop_oneof![3 => Just(60i64), 3 => Just(1800), 1 => Just(4 * 3600), 1 => Just(DISPUTE_WINDOW), 1 => Just(3 * DISPUTE_WINDOW)].prop_map(|seconds| Action::Warp { seconds }),
    ]
}

/// What the test remembers that the chain does not tell: who answered what, with which salt.
struct World {
    env: TestEnv,
    requesters: Vec<Keypair>,
    workers: Vec<Keypair>,
    members: Vec<Keypair>,
    thief: Keypair,
    tasks: Vec<TaskRef>,
    /// (task index, worker index) -> answer index committed.
    committed: std::collections::HashMap<(usize, usize), usize>,
    openers: std::collections::HashMap<usize, Pubkey>,
    minted: u64,
    accepted: u64,
    /// The kind of the action being applied, for the statistics.
    current: Option<&'static str>,
}

const REQUESTER_FUNDS: u64 = 50 * USDC;
const WORKER_FUNDS: u64 = 5 * USDC;

impl World {
    async fn new() -> Self {
        let mut env = TestEnv::new().await;
        let mut requesters = Vec::new();
        for _ in 0..REQUESTERS {
            requesters.push(env.user(REQUESTER_FUNDS).await);
        }
        let mut workers = Vec::new();
        for _ in 0..WORKERS {
            let worker = env.worker(USDC).await; // 1 USDC staked
            let usdc = env.usdc;
            env.mint_to(usdc, &worker.pubkey(), WORKER_FUNDS).await;
            workers.push(worker);
        }
        let mut members = Vec::new();
        for _ in 0..MEMBERS {
            members.push(env.member(1).await);
        }
        let thief = env.user(USDC).await;
        let minted = REQUESTERS as u64 * REQUESTER_FUNDS + WORKERS as u64 * (USDC + WORKER_FUNDS) + USDC;
        Self {
            env,
            requesters,
            workers,
            members,
            thief,
            tasks: Vec::new(),
            committed: Default::default(),
            openers: Default::default(),
            minted,
            accepted: 0,
            current: None,
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
        self.requesters.iter().find(|r| r.pubkey() == task.requester).unwrap().insecure_clone()
    }

    async fn send(
        &mut self,
        ixs: &[anchor_lang::solana_program::instruction::Instruction],
        signers: &[&Keypair],
    ) -> bool {
        let result = self.env.try_send(ixs, signers).await;
        let ok = result.is_ok();
        let kind = self.current.unwrap_or("wind-down");
        let outcome = match result {
            Ok(()) => "ok".to_string(),
            Err(err) => match custom_error_code(&err) {
                Some(code) => code.to_string(),
                None => format!("{err:?}"),
            },
        };
        *STATS.lock().unwrap().entry(format!("{kind}: {outcome}")).or_default() += 1;
        if ok {
            self.accepted += 1;
        }
        ok
    }

    async fn apply(&mut self, action: &Action) {
        self.current = Some(action.kind());
        let (payer, treasury, usdc) = (self.env.payer(), self.env.treasury, self.env.usdc);
        match *action {
            Action::CreateTask { requester, answers, reward, commit_window } => {
                let requester = self.requesters[requester].insecure_clone();
                let mut args = self.env.task_args();
                args.answers_required = answers;
                args.quorum = answers / 2 + 1;
                args.reward_per_answer = reward;
                args.commit_deadline = self.env.now() + commit_window;
                args.reveal_deadline = args.commit_deadline + 3600;
                let task = TaskRef::new(requester.pubkey(), args.task_id, usdc);
                let create = ix::create_task(&requester.pubkey(), usdc, &usdc.ata(&requester.pubkey()), args);
                if self.send(&[create], &[&requester]).await {
                    self.tasks.push(task);
                }
            }
            Action::Cancel { task } => {
                let Some((_, task)) = self.task(task) else { return };
                let requester = self.requester_of(&task);
                let cancel = ix::cancel_task(&task, &usdc.ata(&requester.pubkey()));
                self.send(&[cancel], &[&requester]).await;
            }
            Action::Stake { worker, amount } => {
                let worker = self.workers[worker].insecure_clone();
                let stake = ix::stake(&worker.pubkey(), usdc, &usdc.ata(&worker.pubkey()), amount);
                self.send(&[stake], &[&worker]).await;
            }
            Action::Unstake { worker, amount } => {
                let worker = self.workers[worker].insecure_clone();
                let unstake = ix::unstake(&worker.pubkey(), usdc, &usdc.ata(&worker.pubkey()), amount);
                self.send(&[unstake], &[&worker]).await;
            }
            Action::Commit { worker, task, answer } => {
                let Some((t, task_ref)) = self.task(task) else { return };
                let key = self.workers[worker].insecure_clone();
                let commitment = commitment_for(&task_ref, &key.pubkey(), ANSWERS[answer]);
                if self.send(&[ix::commit_answer(&key.pubkey(), &task_ref, commitment)], &[&key]).await {
                    self.committed.insert((t, worker), answer);
                }
            }
            Action::Reveal { pick, honest } => {
                let Some((t, w, answer)) = self.committed_pair(pick) else { return };
                let (task_ref, key) = (self.tasks[t], self.workers[w].insecure_clone());
                let answer = if honest { answer } else { (answer + 1) % ANSWERS.len() };
                let salt = salt_for(&task_ref, &key.pubkey());
                let hash = answer_hash(ANSWERS[answer]);
                self.send(&[ix::reveal_answer(&key.pubkey(), &task_ref.address, hash, salt)], &[&key]).await;
            }
            Action::Finalize { task } => {
                let Some((_, task)) = self.task(task) else { return };
                self.send(&[ix::finalize_task(&task.address)], &[]).await;
            }
            Action::Claim { pick } => {
                let Some((t, w, _)) = self.committed_pair(pick) else { return };
                let (task, worker) = (self.tasks[t], self.workers[w].pubkey());
                self.send(&[ix::claim(&payer, &task, &worker)], &[]).await;
            }
            Action::Close { task } => {
                let Some((_, task)) = self.task(task) else { return };
                self.send(&[ix::close_task(&payer, &task, &treasury)], &[]).await;
            }
            Action::OpenDispute { pick, by_requester } => {
                let Some((t, w, _)) = self.committed_pair(pick) else { return };
                let task_ref = self.tasks[t];
                let opener = if by_requester {
                    self.requester_of(&task_ref)
                } else {
                    self.workers[w].insecure_clone()
                };
                let open =
                    ix::open_dispute(&opener.pubkey(), &task_ref, &usdc.ata(&opener.pubkey()), [1; 32]);
                if self.send(&[open], &[&opener]).await {
                    self.openers.insert(t, opener.pubkey());
                }
            }
            Action::Vote { member, pick, choice } => {
                let Some((t, _)) = self.dispute(pick) else { return };
                let (task, member) = (self.tasks[t], self.members[member].insecure_clone());
                self.send(&[ix::cast_vote(&member.pubkey(), &task.address, choice)], &[&member]).await;
            }
            Action::Resolve { pick } => {
                let Some((t, opener)) = self.dispute(pick) else { return };
                let task = self.tasks[t];
                self.send(&[ix::resolve_dispute(&payer, &task, &opener, &treasury)], &[]).await;
            }
            Action::CloseVote { member, pick } => {
                let Some((t, _)) = self.dispute(pick) else { return };
                let (task, member) = (self.tasks[t], self.members[member].pubkey());
                self.send(&[ix::close_vote(&task.address, &member)], &[]).await;
            }
            Action::Steal { task, worker } => {
                let Some((_, task)) = self.task(task) else { return };
                let (victim, thief) = (self.workers[worker].pubkey(), self.thief.insecure_clone());
                let redirected = with_account(
                    ix::claim(&payer, &task, &victim),
                    &usdc.ata(&victim),
                    &usdc.ata(&thief.pubkey()),
                );
                assert!(!self.send(&[redirected], &[]).await, "a reward was redirected to the thief");
                let posing = with_account(
                    ix::unstake(&thief.pubkey(), usdc, &usdc.ata(&thief.pubkey()), 1),
                    &pda::stake(&thief.pubkey(), &usdc.mint),
                    &pda::stake(&victim, &usdc.mint),
                );
                assert!(!self.send(&[posing], &[&thief]).await, "the thief unstaked a worker's stake");
            }
            Action::Warp { seconds } => self.env.warp_by(seconds).await,
            Action::Crowd { task, ref answers } => {
                let Some((t, task_ref)) = self.task(task) else { return };
                for (w, answer) in answers.iter().enumerate() {
                    let Some(answer) = *answer else { continue };
                    let key = self.workers[w].insecure_clone();
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
                    let key = self.workers[w].insecure_clone();
                    let answer = if liars & (1 << w) == 0 { answer } else { (answer + 1) % ANSWERS.len() };
                    let salt = salt_for(&task_ref, &key.pubkey());
                    let hash = answer_hash(ANSWERS[answer]);
                    self.send(&[ix::reveal_answer(&key.pubkey(), &task_ref.address, hash, salt)], &[&key])
                        .await;
                }
            }
            Action::Settle { task } => {
                let Some((_, task)) = self.task(task) else { return };
                let workers: Vec<Pubkey> = self.workers.iter().map(|w| w.pubkey()).collect();
                for worker in workers {
                    if self.env.exists(pda::submission(&task.address, &worker)).await {
                        self.send(&[ix::claim(&payer, &task, &worker)], &[]).await;
                    }
                }
                self.send(&[ix::close_task(&payer, &task, &treasury)], &[]).await;
            }
            Action::Advance { task } => {
                let Some((_, task_ref)) = self.task(task) else { return };
                let Some(account) = self.env.raw_account(task_ref.address).await else { return };
                let task: Task =
                    anchor_lang::AccountDeserialize::try_deserialize(&mut account.data.as_slice()).unwrap();
                let now = self.env.now();
                let next = match task.state {
                    TaskState::Open if now < task.commit_deadline => task.commit_deadline,
                    TaskState::Open => task.reveal_deadline,
                    TaskState::Finalized => task.dispute_deadline,
                    TaskState::Disputed => {
                        let dispute: Dispute = self.env.account(pda::dispute(&task_ref.address)).await;
                        dispute.vote_deadline
                    }
                };
                if next > now {
                    self.env.warp_to(next).await;
                }
            }
        }
    }

    async fn check_invariants(&mut self) {
        let usdc = self.env.usdc;
        let stake_vault = pda::stake_vault(&usdc.mint, &usdc.token_program);
        let mut total = self.env.balance(stake_vault).await;
        let mut wallets: Vec<Pubkey> =
            self.requesters.iter().chain(&self.workers).chain(&self.members).map(|k| k.pubkey()).collect();
        wallets.push(self.thief.pubkey());
        wallets.push(self.env.treasury);
        for wallet in wallets {
            total += self.env.usdc_of(&wallet).await;
        }
        let mut locked_by_worker = [0u64; WORKERS];
        for (t, task_ref) in self.tasks.clone().into_iter().enumerate() {
            let vault = self.env.balance(task_ref.vault()).await;
            total += vault;
            let Some(account) = self.env.raw_account(task_ref.address).await else {
                assert_eq!(vault, 0, "closed task {t} left tokens in its vault");
                continue;
            };
            let task: Task =
                anchor_lang::AccountDeserialize::try_deserialize(&mut account.data.as_slice()).unwrap();
            let bond = if task.state == TaskState::Disputed {
                let dispute: Dispute = self.env.account(pda::dispute(&task_ref.address)).await;
                dispute.bond
            } else {
                0
            };
            assert_eq!(
                u128::from(vault),
                u128::from(task.deposit) + u128::from(task.stake_slashed) + u128::from(bond)
                    - u128::from(task.rewards_paid),
                "task {t}: the vault holds what the task owes"
            );
            for (w, worker) in self.workers.iter().enumerate() {
                if self.env.exists(pda::submission(&task_ref.address, &worker.pubkey())).await {
                    locked_by_worker[w] += task.stake_per_answer;
                }
            }
        }
        assert_eq!(total, self.minted, "tokens are conserved");
        let mut staked = 0;
        for (w, worker) in self.workers.iter().enumerate() {
            let stake: Stake = self.env.account(pda::stake(&worker.pubkey(), &usdc.mint)).await;
            assert_eq!(stake.locked, locked_by_worker[w], "worker {w}: locked = stake of open submissions");
            assert!(stake.locked <= stake.amount);
            staked += stake.amount;
        }
        assert_eq!(self.env.balance(stake_vault).await, staked, "the stake vault holds every stake");
    }

    /// Runs the clock past every deadline and cranks every task to closed.
    async fn wind_down(&mut self) {
        self.current = None;
        let (payer, treasury) = (self.env.payer(), self.env.treasury);
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
                self.send(&[ix::resolve_dispute(&payer, &task, &opener, &treasury)], &[]).await;
            }
            let workers: Vec<Pubkey> = self.workers.iter().map(|w| w.pubkey()).collect();
            for worker in workers {
                if self.env.exists(pda::submission(&task.address, &worker)).await {
                    self.env.claim(&task, &worker).await;
                }
            }
            self.env.close(&task).await;
            assert!(!self.env.exists(task.address).await, "task {t} closed");
        }
        self.check_invariants().await;
        for worker in &self.workers {
            let stake: Stake = self.env.account(pda::stake(&worker.pubkey(), &self.env.usdc.mint)).await;
            assert_eq!(stake.locked, 0, "all stake free once every task closed");
        }
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
