//! The shared harness of the integration tests: the program inside solana-program-test's real bank
//! (`pob_cli::embedded`; compiled for the host, or the SBF binary when `SBF_OUT_DIR` is set), next
//! to the real SPL Token, Token-2022 and ATA programs; plus assertions that a rejected transaction
//! moved nothing and that the program's books balance.

#![allow(deprecated)] // program-test 3.1 marks its API agave-unstable-api

use std::collections::BTreeMap;

pub mod dao;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{AccountDeserialize, Discriminator, ZeroCopy};
use anchor_spl::token::spl_token;
pub use pob_cli::accounts::{read_state, OwnedTask};
use pob_cli::embedded::EmbeddedBank;
use pob_cli::ix::{self, MintRef, Opener, OwnAccount, TaskRef};
use pob_cli::pda;
use proof_of_brain::logic::commitment::{answer_commitment, answer_hash};
use proof_of_brain::state::{
    Balance, Dispute, FeeBalance, MintConfig, Protocol, Requester, Task, TaskView, Worker,
};
use proof_of_brain::{CreateTaskArgs, MintLimits, ProtocolParams, Qualification};
use solana_program_test::{processor, BanksClientError};
use solana_sdk::account::Account;
pub use solana_sdk::instruction::InstructionError;
use solana_sdk::signature::{Keypair, Signer};
pub use solana_sdk::transaction::TransactionError;

pub use proof_of_brain::error::PobError;

pub const USDC_DECIMALS: u8 = 6;
/// One whole USDC in base units.
pub const USDC: u64 = 1_000_000;
/// The harness's mint limits (`pob_cli::defaults::mint_limits(6)`): 0.01 wage floor, 0.1 minimum
/// stake, 1 USDC bond, 10 USDC earned to join the chamber, 1 weight per USDC of chamber stake.
pub const MIN_REWARD: u64 = USDC / 100;
pub const MIN_STAKE: u64 = USDC / 10;
pub const DISPUTE_BOND: u64 = USDC;
pub const CHAMBER_MIN_REWARDS: u64 = 10 * USDC;
pub const CHAMBER_STAKE_PER_WEIGHT: u64 = USDC;
pub const FEE_BPS: u16 = pob_cli::defaults::FEE_BPS;
pub const DISPUTE_WINDOW: i64 = pob_cli::defaults::DISPUTE_WINDOW_SECS as i64;
pub const VOTE_WINDOW: i64 = pob_cli::defaults::VOTE_WINDOW_SECS as i64;
pub const MEMBER_WEIGHT: u64 = pob_cli::defaults::MEMBER_WEIGHT;
/// Where the test clock starts (2026-11-24T00:00:00Z).
pub const START_TIME: i64 = 1_795_478_400;
/// SOL each test user starts with.
pub const USER_LAMPORTS: u64 = 1_000_000_000;

pub fn default_params(treasury: Pubkey) -> ProtocolParams {
    pob_cli::defaults::protocol_params(treasury)
}

pub fn default_limits() -> MintLimits {
    pob_cli::defaults::mint_limits(USDC_DECIMALS)
}

/// A bank with the program, a USDC-like mint, and (with [`TestEnv::new`]) the protocol
/// initialised and USDC allowed.
pub struct TestEnv {
    pub bank: EmbeddedBank,
    pub authority: Keypair,
    /// Signs `withdraw_fees`.
    pub treasury: Keypair,
    pub usdc: MintRef,
    pub mint_authority: Keypair,
    next_task_id: u64,
}

impl TestEnv {
    /// Protocol initialised with [`default_params`], USDC allowed with [`default_limits`].
    pub async fn new() -> Self {
        let mut env = Self::bare().await;
        let (payer, authority) = (env.payer(), env.authority.pubkey());
        let treasury = env.treasury.pubkey();
        env.execute(&[ix::initialize_protocol(&payer, authority, default_params(treasury))], &[]).await;
        let authority = env.authority.insecure_clone();
        let usdc = env.usdc;
        env.execute(&[ix::allow_mint(&payer, &authority.pubkey(), usdc, default_limits())], &[&authority])
            .await;
        env
    }

    /// The program and a USDC-like mint (with a freeze authority, as USDC has); the protocol is
    /// not initialised. The bank also holds the test governance program ([`dao`]).
    pub async fn bare() -> Self {
        let mut bank = EmbeddedBank::start_with(START_TIME, |program_test| {
            program_test.add_program("dao_governance", dao::DAO_PROGRAM_ID, processor!(dao::process));
        })
        .await;
        let (authority, mint_authority, treasury) = (Keypair::new(), Keypair::new(), Keypair::new());
        bank.airdrop(&authority.pubkey(), USER_LAMPORTS).await.unwrap();
        bank.airdrop(&treasury.pubkey(), USER_LAMPORTS).await.unwrap();
        let usdc = bank.create_mint(&mint_authority.pubkey(), USDC_DECIMALS, &spl_token::ID).await.unwrap();
        Self { bank, authority, treasury, usdc, mint_authority, next_task_id: 1 }
    }

    /// Pays every transaction's fee, so actors' lamports move only by what the program does.
    pub fn payer(&self) -> Pubkey {
        self.bank.payer()
    }

    // ---- Clock ----

    pub fn now(&self) -> i64 {
        self.bank.now()
    }

    pub async fn warp_to(&mut self, unix_timestamp: i64) {
        self.bank.warp_to(unix_timestamp).await;
    }

    pub async fn warp_by(&mut self, seconds: i64) {
        self.bank.warp_to(self.now() + seconds).await;
    }

    // ---- Transactions ----

    /// Sends one transaction, fee paid by [`Self::payer`].
    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<(), BanksClientError> {
        self.bank.send(ixs, signers).await
    }

    /// Sends and panics with the error if the transaction fails.
    pub async fn execute(&mut self, ixs: &[Instruction], signers: &[&Keypair]) {
        if let Err(err) = self.send(ixs, signers).await {
            panic!("transaction failed: {}", describe(&err));
        }
    }

    /// Sends a transaction that must fail with `code` (a `PobError` or an Anchor `ErrorCode`),
    /// and asserts that no account it names changed: lamports, owner and data (so no balance
    /// either). Only the fee payer, who is no party to the protocol, pays the fee.
    pub async fn expect_error(&mut self, ixs: &[Instruction], signers: &[&Keypair], code: impl Into<u32>) {
        let code = code.into();
        let err = self.expect_rejected(ixs, signers).await;
        assert_eq!(
            custom_error_code(&err),
            Some(code),
            "expected custom error {code} ({}), got {err:?}",
            error_name(code)
        );
    }

    /// Sends a transaction that must fail, asserts that no account it names changed (the fee
    /// payer aside), and returns the error, for failures that are not custom program errors.
    pub async fn expect_rejected(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> TransactionError {
        match self.try_send(ixs, signers).await {
            Err(err) => err,
            Ok(()) => panic!("expected the transaction to fail, but it succeeded"),
        }
    }

    /// Sends a transaction that may fail; if it does, asserts that no account it names changed
    /// (the fee payer aside) and returns the error.
    pub async fn try_send(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<(), TransactionError> {
        let tx = self.bank.sign(ixs, signers).await;
        let payer = self.payer();
        let keys: Vec<Pubkey> = tx.message.account_keys.iter().copied().filter(|key| *key != payer).collect();
        let before = self.snapshot(&keys).await;
        let Err(err) = self.bank.process(tx).await else { return Ok(()) };
        let after = self.snapshot(&keys).await;
        for key in &keys {
            assert_eq!(before.get(key), after.get(key), "account {key} changed in a rejected transaction");
        }
        Err(err.unwrap())
    }

    async fn snapshot(&mut self, keys: &[Pubkey]) -> BTreeMap<Pubkey, Option<Account>> {
        let mut accounts = BTreeMap::new();
        for key in keys {
            accounts.insert(*key, self.bank.account(*key).await);
        }
        accounts
    }

    // ---- Reads ----

    /// Every event of type `E` the program emitted in this test's bank, oldest first.
    pub fn events<E: anchor_lang::Event>(&self) -> Vec<E> {
        self.bank.events()
    }

    pub async fn raw_account(&mut self, address: Pubkey) -> Option<Account> {
        self.bank.account(address).await
    }

    pub async fn exists(&mut self, address: Pubkey) -> bool {
        self.raw_account(address).await.is_some()
    }

    pub async fn lamports(&mut self, address: Pubkey) -> u64 {
        self.bank.lamports(address).await
    }

    /// Token balance of a token account; 0 if it does not exist.
    pub async fn token_balance(&mut self, token_account: Pubkey) -> u64 {
        self.bank.token_balance(token_account).await
    }

    /// USDC in `owner`'s associated token account (their wallet, not their program balance).
    pub async fn usdc_of(&mut self, owner: &Pubkey) -> u64 {
        let ata = self.usdc.ata(owner);
        self.token_balance(ata).await
    }

    /// A borsh account (the token accounts, say).
    pub async fn account<T: AccountDeserialize>(&mut self, address: Pubkey) -> T {
        let account = self.raw_account(address).await.unwrap_or_else(|| panic!("no account at {address}"));
        T::try_deserialize(&mut account.data.as_slice()).unwrap()
    }

    /// One of the program's zero-copy accounts.
    pub async fn state<T: ZeroCopy + Discriminator>(&mut self, address: Pubkey) -> T {
        let account = self.raw_account(address).await.unwrap_or_else(|| panic!("no account at {address}"));
        read_state(&account.data)
            .unwrap_or_else(|| panic!("{address} is not a {}", std::any::type_name::<T>()))
    }

    pub async fn protocol(&mut self) -> Protocol {
        self.state(pda::protocol()).await
    }

    pub async fn mint_config(&mut self) -> MintConfig {
        let mint = self.usdc.mint;
        self.state(pda::mint_config(&mint)).await
    }

    /// The task's header (see [`Self::task_view`] for its tally and spec URI).
    pub async fn task(&mut self, task: &TaskRef) -> Task {
        self.state(task.address).await
    }

    /// The whole Task account: header, tally and URI, owned.
    pub async fn task_view(&mut self, task: &TaskRef) -> OwnedTask {
        let data = self.raw_account(task.address).await.expect("the task exists").data;
        OwnedTask::parse(&data).expect("a task")
    }

    /// `wallet`'s Balance in the harness mint (all zeros if it has none).
    pub async fn balance_of(&mut self, wallet: &Pubkey) -> Balance {
        let mint = self.usdc.mint;
        match self.raw_account(pda::balance(wallet, &mint)).await {
            Some(account) => read_state(&account.data).expect("a balance"),
            None => bytemuck::Zeroable::zeroed(),
        }
    }

    /// `wallet`'s free balance in the harness mint.
    pub async fn free(&mut self, wallet: &Pubkey) -> u64 {
        self.balance_of(wallet).await.free
    }

    pub async fn fees(&mut self) -> FeeBalance {
        let mint = self.usdc.mint;
        self.state(pda::fee_balance(&mint)).await
    }

    pub async fn worker_record(&mut self, wallet: &Pubkey) -> Worker {
        self.state(pda::worker(wallet)).await
    }

    pub async fn requester_record(&mut self, wallet: &Pubkey) -> Requester {
        self.state(pda::requester(wallet)).await
    }

    /// Writes `account` at `address` directly into the bank: how the attack tests plant
    /// look-alike accounts that no instruction of the program would create.
    /// A new token account of the harness mint owned by `owner` (besides its ATA).
    pub async fn fresh_token_account(&mut self, owner: &Pubkey) -> Pubkey {
        use anchor_lang::solana_program::program_pack::Pack;
        let account = Keypair::new();
        let (payer, usdc) = (self.payer(), self.usdc);
        let len = spl_token::state::Account::LEN;
        let rent = self.bank.rent_exempt_minimum(len).await;
        let ixs = [
            anchor_lang::solana_program::system_instruction::create_account(
                &payer,
                &account.pubkey(),
                rent,
                len as u64,
                &usdc.token_program,
            ),
            spl_token::instruction::initialize_account3(
                &usdc.token_program,
                &account.pubkey(),
                &usdc.mint,
                owner,
            )
            .unwrap(),
        ];
        self.execute(&ixs, &[&account]).await;
        account.pubkey()
    }

    /// Does `how` to `victim` (whose tokens are in `token_account`), as the victim or its issuer
    /// would: a closed account's tokens go to `drain_to` first, or are burnt. `None` when it no
    /// longer applies (the wallet was already given away), else the transaction's outcome.
    pub async fn sabotage(
        &mut self,
        victim: &Keypair,
        token_account: Pubkey,
        how: Sabotage,
        drain_to: Option<Pubkey>,
    ) -> Option<Result<(), TransactionError>> {
        let (key, usdc) = (victim.pubkey(), self.usdc);
        let program = usdc.token_program;
        let token_ix = |ix: Result<Instruction, _>| ix.expect("a token instruction");
        let ixs = match how {
            Sabotage::ReassignTokenAccount => vec![token_ix(spl_token::instruction::set_authority(
                &program,
                &token_account,
                Some(&Pubkey::new_unique()),
                spl_token::instruction::AuthorityType::AccountOwner,
                &key,
                &[],
            ))],
            Sabotage::CloseTokenAccount => {
                let held = self.token_balance(token_account).await;
                let mut ixs = Vec::new();
                match drain_to {
                    Some(to) => ixs.push(token_ix(spl_token::instruction::transfer(
                        &program,
                        &token_account,
                        &to,
                        &key,
                        &[],
                        held,
                    ))),
                    None if held > 0 => ixs.push(token_ix(spl_token::instruction::burn(
                        &program,
                        &token_account,
                        &usdc.mint,
                        &key,
                        &[],
                        held,
                    ))),
                    None => {}
                }
                ixs.push(token_ix(spl_token::instruction::close_account(
                    &program,
                    &token_account,
                    &key,
                    &key,
                    &[],
                )));
                ixs
            }
            Sabotage::FrozenByIssuer => {
                let issuer = self.mint_authority.insecure_clone();
                let ix = token_ix(spl_token::instruction::freeze_account(
                    &program,
                    &token_account,
                    &usdc.mint,
                    &issuer.pubkey(),
                    &[],
                ));
                return Some(self.try_send(&[ix], &[&issuer]).await);
            }
            Sabotage::AssignWallet | Sabotage::ExecutableWallet => {
                let wallet = self.raw_account(key).await;
                if !wallet
                    .as_ref()
                    .is_some_and(|w| w.owner == anchor_lang::system_program::ID && !w.executable)
                {
                    return None;
                }
                if how == Sabotage::AssignWallet {
                    vec![anchor_lang::solana_program::system_instruction::assign(&key, &Pubkey::new_unique())]
                } else {
                    // The wallet's address becomes a deployed program (a keypair reused as a
                    // program id): no transaction of the harness can do that, so plant it.
                    let lamports = wallet.map_or(0, |w| w.lamports);
                    let program = Account {
                        lamports,
                        data: vec![0; 36],
                        owner: anchor_lang::solana_program::bpf_loader_upgradeable::ID,
                        executable: true,
                        rent_epoch: 0,
                    };
                    self.plant(&key, program);
                    return Some(Ok(()));
                }
            }
        };
        Some(self.try_send(&ixs, &[victim]).await)
    }

    pub fn plant(&mut self, address: &Pubkey, account: Account) {
        self.bank.ctx.set_account(address, &account.into());
    }

    pub async fn airdrop(&mut self, to: &Pubkey, lamports: u64) {
        self.bank.airdrop(to, lamports).await.unwrap();
    }

    // ---- Mints and users ----

    /// A new SPL Token mint (classic token program) with `decimals`.
    pub async fn create_mint(&mut self, decimals: u8) -> MintRef {
        let authority = self.mint_authority.pubkey();
        self.bank.create_mint(&authority, decimals, &spl_token::ID).await.unwrap()
    }

    /// Makes `mint` the harness's stablecoin (used by `user`, `worker`, `create_task`, ...),
    /// allowing it with the harness's limits.
    pub async fn use_mint(&mut self, mint: MintRef) {
        let (payer, authority) = (self.payer(), self.authority.insecure_clone());
        self.execute(&[ix::allow_mint(&payer, &authority.pubkey(), mint, default_limits())], &[&authority])
            .await;
        self.usdc = mint;
    }

    /// Mints `amount` of `mint` into `owner`'s ATA, creating it if needed.
    pub async fn mint_to(&mut self, mint: MintRef, owner: &Pubkey, amount: u64) {
        self.bank.mint_to(mint, &self.mint_authority.insecure_clone(), owner, amount).await.unwrap();
    }

    /// A wallet with [`USER_LAMPORTS`] and `usdc` base units in its USDC ATA.
    pub async fn user(&mut self, usdc: u64) -> Keypair {
        let user = Keypair::new();
        self.airdrop(&user.pubkey(), USER_LAMPORTS).await;
        let mint = self.usdc;
        self.mint_to(mint, &user.pubkey(), usdc).await;
        user
    }

    /// Deposits `amount` from `owner`'s ATA into their free balance, opening it first if needed.
    pub async fn deposit(&mut self, owner: &Keypair, amount: u64) {
        let (key, usdc) = (owner.pubkey(), self.usdc);
        let mut ixs = self.open_balance_if_needed(&key).await;
        ixs.push(ix::deposit(&key, usdc, &usdc.ata(&key), amount));
        self.execute(&ixs, &[owner]).await;
    }

    /// `[open_balance]` if `owner` has no balance in the harness mint yet, else nothing.
    pub async fn open_balance_if_needed(&mut self, owner: &Pubkey) -> Vec<Instruction> {
        let mint = self.usdc.mint;
        if self.exists(pda::balance(owner, &mint)).await {
            Vec::new()
        } else {
            vec![ix::open_balance(owner, &mint)]
        }
    }

    /// The instructions that create `wallet`'s own `account` if it does not exist yet.
    pub async fn create_own_account_if_needed(
        &mut self,
        wallet: &Pubkey,
        account: OwnAccount,
    ) -> Vec<Instruction> {
        let address = account.address(wallet);
        match self.raw_account(address).await {
            Some(existing) if existing.owner == proof_of_brain::ID => Vec::new(),
            held => {
                let rent = self.bank.rent_exempt_minimum(account.space()).await;
                ix::create_own_account(wallet, account, rent, held.map_or(0, |held| held.lamports))
            }
        }
    }

    /// `voter` votes `choice` on the dispute of `task` (creating their Vote account first).
    pub async fn vote(&mut self, voter: &Keypair, task: &TaskRef, choice: u8) {
        let ixs = self.vote_ixs(&voter.pubkey(), task, choice).await;
        self.execute(&ixs, &[voter]).await;
    }

    /// What voting takes: the voter's Vote account if it does not exist yet, then the vote.
    pub async fn vote_ixs(&mut self, voter: &Pubkey, task: &TaskRef, choice: u8) -> Vec<Instruction> {
        let dispute = pda::dispute(&task.address);
        let mut ixs = self.create_own_account_if_needed(voter, OwnAccount::Vote { dispute }).await;
        ixs.push(ix::cast_vote(voter, &task.address, choice));
        ixs
    }

    /// Withdraws `amount` of `owner`'s free balance to their ATA.
    pub async fn withdraw(&mut self, owner: &Keypair, amount: u64) {
        let (key, usdc) = (owner.pubkey(), self.usdc);
        self.execute(&[ix::withdraw(&key, usdc, &usdc.ata(&key), amount)], &[owner]).await;
    }

    /// A requester with `amount` USDC deposited (free balance, opened even for 0) and nothing in
    /// their wallet.
    pub async fn requester(&mut self, amount: u64) -> Keypair {
        let requester = self.user(amount).await;
        if amount == 0 {
            let mint = self.usdc.mint;
            self.execute(&[ix::open_balance(&requester.pubkey(), &mint)], &[&requester]).await;
        } else {
            self.deposit(&requester, amount).await;
        }
        requester
    }

    /// A registered worker with `stake` USDC deposited (free balance) and nothing in their wallet.
    pub async fn worker(&mut self, stake: u64) -> Keypair {
        let worker = self.user(stake).await;
        let key = worker.pubkey();
        let usdc = self.usdc;
        let mut ixs = self.create_own_account_if_needed(&key, OwnAccount::Worker).await;
        ixs.push(ix::register_worker(&key));
        ixs.push(ix::open_balance(&key, &usdc.mint));
        ixs.push(ix::deposit(&key, usdc, &usdc.ata(&key), stake));
        self.execute(&ixs, &[&worker]).await;
        worker
    }

    // ---- Tasks ----

    /// Task arguments: n=5, k=3, 0.05 USDC per answer, 0.5 USDC stake, 50% paid without quorum,
    /// commit phase 1 hour, reveal phase 1 more hour, no qualification, no gold. Each call uses a
    /// new task id.
    pub fn task_args(&mut self) -> CreateTaskArgs {
        let task_id = self.next_task_id;
        self.next_task_id += 1;
        CreateTaskArgs {
            task_id,
            spec_hash: answer_hash(b"Is this image a cat? yes/no"),
            spec_uri: "ipfs://bafy-task-spec".to_string(),
            answers_required: 5,
            quorum: 3,
            reward_per_answer: 50_000,
            stake_per_answer: 500_000,
            no_quorum_bps: 5_000,
            commit_window_secs: 3600,
            reveal_window_secs: 3600,
            qualification: Qualification::default(),
            gold_seal: None,
        }
    }

    /// The task `args` would create for `requester`.
    pub fn task_ref(&self, requester: &Pubkey, args: &CreateTaskArgs) -> TaskRef {
        TaskRef::new(*requester, args.task_id, self.usdc)
    }

    /// Creates a task funded from `requester`'s free balance (creating their record with the
    /// first one).
    pub async fn create_task(&mut self, requester: &Keypair, args: CreateTaskArgs) -> TaskRef {
        let key = requester.pubkey();
        let task = self.task_ref(&key, &args);
        let ixs = self.create_task_ixs(&key, args).await;
        self.execute(&ixs, &[requester]).await;
        task
    }

    /// What creating a task takes: the requester's record first if they have none, then the task.
    pub async fn create_task_ixs(&mut self, requester: &Pubkey, args: CreateTaskArgs) -> Vec<Instruction> {
        let mint = self.usdc.mint;
        let mut ixs = self.create_own_account_if_needed(requester, OwnAccount::Requester).await;
        ixs.push(ix::create_task(requester, &mint, args));
        ixs
    }

    pub async fn commit(&mut self, worker: &Keypair, task: &TaskRef, answer: &[u8]) {
        let commitment = commitment_for(task, &worker.pubkey(), answer);
        self.execute(&[ix::commit_answer(&worker.pubkey(), task, commitment)], &[worker]).await;
    }

    pub async fn reveal(&mut self, worker: &Keypair, task: &TaskRef, answer: &[u8]) {
        let (hash, salt) = (answer_hash(answer), salt_for(task, &worker.pubkey()));
        self.execute(&[ix::reveal_answer(&worker.pubkey(), &task.address, hash, salt)], &[worker]).await;
    }

    /// A wallet appointed as a DAO member with `weight`.
    pub async fn member(&mut self, weight: u64) -> Keypair {
        let member = self.user(0).await;
        let (payer, authority) = (self.payer(), self.authority.insecure_clone());
        self.execute(&[ix::add_member(&payer, &authority.pubkey(), member.pubkey(), weight)], &[&authority])
            .await;
        member
    }

    /// A task with one worker per answer (n = answers.len(), quorum = n / 2 + 1), every answer
    /// committed and revealed in order, and the task finalized (its dispute window open).
    pub async fn finalized_task(&mut self, answers: &[&[u8]]) -> (Keypair, TaskRef, Vec<Keypair>) {
        let requester = self.requester(10 * USDC).await;
        let mut args = self.task_args();
        args.answers_required = answers.len() as u8;
        args.quorum = args.answers_required / 2 + 1;
        let task = self.create_task(&requester, args).await;
        let mut workers = Vec::new();
        for answer in answers {
            let worker = self.worker(USDC).await;
            self.commit(&worker, &task, answer).await;
            workers.push(worker);
        }
        for (worker, answer) in workers.iter().zip(answers) {
            self.reveal(worker, &task, answer).await;
        }
        self.finalize(&task).await;
        (requester, task, workers)
    }

    /// Permissionless crank actions, signed only by the fee payer.
    pub async fn finalize(&mut self, task: &TaskRef) {
        self.execute(&[ix::finalize_task(&task.address)], &[]).await;
    }

    pub async fn claim(&mut self, task: &TaskRef, worker: &Pubkey) {
        self.execute(&[ix::claim(task, worker)], &[]).await;
    }

    pub async fn close(&mut self, task: &TaskRef) {
        self.execute(&[ix::close_task(task)], &[]).await;
    }

    pub async fn resolve(&mut self, task: &TaskRef, opener: &Pubkey) {
        self.execute(&[ix::resolve_dispute(task, Opener::of(task, *opener))], &[]).await;
    }

    // ---- The books ----

    /// The program's books in `mint`: what its vault holds, and what it owes (every balance,
    /// every open task's escrow, every open dispute's bond, the fee balance).
    pub async fn books(&mut self, mint: MintRef) -> Books {
        let vault = self.token_balance(mint.vault()).await;
        let mut books = Books { vault, ..Books::default() };
        let program_accounts = self.bank.accounts_owned_by(&proof_of_brain::ID).await;
        for (_, account) in program_accounts {
            let data = &account.data;
            if let Some(balance) = read_state::<Balance>(data).filter(|b| b.mint == mint.mint) {
                books.balances += u128::from(balance.free)
                    + u128::from(balance.locked)
                    + u128::from(balance.chamber_locked);
            } else if let Some(task) =
                TaskView::parse(data).ok().map(|view| *view.header).filter(|t| t.mint == mint.mint)
            {
                books.escrows += u128::from(task.deposit) - u128::from(task.rewards_paid)
                    + u128::from(task.stake_slashed)
                    + u128::from(task.bond_forfeited);
            } else if let Some(fees) = read_state::<FeeBalance>(data).filter(|f| f.mint == mint.mint) {
                books.fees += u128::from(fees.accrued);
            } else if let Some(dispute) = read_state::<Dispute>(data) {
                books.bonds += u128::from(dispute.bond);
            }
        }
        books
    }

    /// The vault holds exactly what the program owes, to the base unit.
    pub async fn assert_books_balance(&mut self) {
        let mint = self.usdc;
        let books = self.books(mint).await;
        assert_eq!(u128::from(books.vault), books.owed(), "the vault does not match the books: {books:?}");
    }
}

/// With `POB_CU_LOG=FILE` (and an SBF run), every test appends the compute units of each program
/// instruction it ran, one `name units` line each: the raw material of a CU table.
impl Drop for TestEnv {
    fn drop(&mut self) {
        let Some(path) = std::env::var_os("POB_CU_LOG") else { return };
        let lines: String =
            self.bank.compute_units().iter().map(|(name, units)| format!("{name} {units}\n")).collect();
        use std::io::Write;
        if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
            let _ = file.write_all(lines.as_bytes());
        }
    }
}

/// The program's books in one mint (see [`TestEnv::books`]). Disputes are counted for every mint:
/// the harness uses one mint per test that opens disputes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Books {
    pub vault: u64,
    pub balances: u128,
    pub escrows: u128,
    pub bonds: u128,
    pub fees: u128,
}

impl Books {
    pub fn owed(&self) -> u128 {
        self.balances + self.escrows + self.bonds + self.fees
    }
}

/// What a participant can do to the accounts it controls, or its token's issuer to it; none of it
/// may block anybody else's settlement (tests/tests/liveness.rs, tests/tests/invariants.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sabotage {
    /// SPL Token `SetAuthority(AccountOwner)`: the token account now belongs to someone else.
    ReassignTokenAccount,
    /// Empties and closes its token account.
    CloseTokenAccount,
    /// The issuer freezes its token account (no malice needed).
    FrozenByIssuer,
    /// `system_instruction::assign`: the wallet now belongs to another program.
    AssignWallet,
    /// The wallet's address becomes a program account (a keypair reused as a program id).
    ExecutableWallet,
}

pub const SABOTAGES: [Sabotage; 5] = [
    Sabotage::ReassignTokenAccount,
    Sabotage::CloseTokenAccount,
    Sabotage::FrozenByIssuer,
    Sabotage::AssignWallet,
    Sabotage::ExecutableWallet,
];

/// `ix` with every occurrence of account `from` replaced by `to`: how the attack tests forge
/// instructions from honest ones.
pub fn with_account(mut ix: Instruction, from: &Pubkey, to: &Pubkey) -> Instruction {
    let mut found = false;
    for meta in ix.accounts.iter_mut().filter(|meta| meta.pubkey == *from) {
        meta.pubkey = *to;
        found = true;
    }
    assert!(found, "{from} is not an account of this instruction");
    ix
}

/// `ix` with account `key` no longer marked as a signer.
pub fn without_signature(mut ix: Instruction, key: &Pubkey) -> Instruction {
    for meta in ix.accounts.iter_mut().filter(|meta| meta.pubkey == *key) {
        meta.is_signer = false;
    }
    ix
}

/// Deterministic per (task, worker) salt for tests; real clients derive it from the wallet.
pub fn salt_for(task: &TaskRef, worker: &Pubkey) -> [u8; 32] {
    answer_hash(&[task.address.as_ref(), worker.as_ref()].concat())
}

pub fn commitment_for(task: &TaskRef, worker: &Pubkey, answer: &[u8]) -> [u8; 32] {
    answer_commitment(
        &task.address.to_bytes(),
        &worker.to_bytes(),
        &answer_hash(answer),
        &salt_for(task, worker),
    )
}

/// The custom error code of a failed transaction, if it failed with one.
pub fn custom_error_code(err: &TransactionError) -> Option<u32> {
    match err {
        TransactionError::InstructionError(_, InstructionError::Custom(code)) => Some(*code),
        _ => None,
    }
}

fn describe(err: &BanksClientError) -> String {
    match err {
        BanksClientError::TransactionError(tx) => pob_cli::program_error::describe(tx),
        other => format!("{other:?}"),
    }
}

/// A readable name for an error code in assertion messages.
fn error_name(code: u32) -> String {
    match pob_cli::program_error::describe_code(code) {
        Some((name, message)) => format!("{name}: {message}"),
        None => format!("code {code}"),
    }
}
