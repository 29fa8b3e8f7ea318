//! The shared harness of the integration tests: the program compiled for the host and run inside
//! solana-program-test's real bank (`pob_cli::embedded`), next to the real SPL Token, Token-2022
//! and ATA programs; plus assertions that a rejected transaction moved nothing.

#![allow(deprecated)] // program-test 3.1 marks its API agave-unstable-api

use std::collections::BTreeMap;

pub mod dao;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::AccountDeserialize;
use anchor_spl::token::spl_token;
use pob_cli::embedded::EmbeddedBank;
use pob_cli::ix::{self, MintRef, TaskRef};
use pob_cli::pda;
use proof_of_brain::logic::commitment::{answer_commitment, answer_hash};
use proof_of_brain::state::{Protocol, Task};
use proof_of_brain::{CreateTaskArgs, ProtocolParams};
use solana_program_test::{processor, BanksClientError};
use solana_sdk::account::Account;
pub use solana_sdk::instruction::InstructionError;
use solana_sdk::signature::{Keypair, Signer};
pub use solana_sdk::transaction::TransactionError;

pub use proof_of_brain::error::PobError;

pub const USDC_DECIMALS: u8 = 6;
/// One whole USDC in base units.
pub const USDC: u64 = 1_000_000;
/// Mint limits the harness allows USDC with: 0.01 wage floor, 0.1 minimum stake, 1 USDC bond.
pub const MIN_REWARD: u64 = USDC / 100;
pub const MIN_STAKE: u64 = USDC / 10;
pub const DISPUTE_BOND: u64 = USDC;
pub const FEE_BPS: u16 = pob_cli::defaults::FEE_BPS;
pub const DISPUTE_WINDOW: i64 = pob_cli::defaults::DISPUTE_WINDOW_SECS as i64;
/// Where the test clock starts (2026-11-24T00:00:00Z).
pub const START_TIME: i64 = 1_795_478_400;
/// SOL each test user starts with.
pub const USER_LAMPORTS: u64 = 1_000_000_000;

pub fn default_params(treasury: Pubkey) -> ProtocolParams {
    pob_cli::defaults::protocol_params(treasury)
}

/// A bank with the program, a USDC-like mint, and (with [`TestEnv::new`]) the protocol
/// initialised and USDC allowed.
pub struct TestEnv {
    pub bank: EmbeddedBank,
    pub authority: Keypair,
    pub treasury: Pubkey,
    pub usdc: MintRef,
    pub mint_authority: Keypair,
    next_task_id: u64,
}

impl TestEnv {
    /// Protocol initialised with [`default_params`], USDC allowed.
    pub async fn new() -> Self {
        let mut env = Self::bare().await;
        let (payer, authority) = (env.payer(), env.authority.pubkey());
        let treasury = env.treasury;
        env.execute(&[ix::initialize_protocol(&payer, authority, default_params(treasury))], &[]).await;
        let authority = env.authority.insecure_clone();
        let usdc = env.usdc;
        env.execute(
            &[ix::allow_mint(&payer, &authority.pubkey(), usdc, MIN_REWARD, MIN_STAKE, DISPUTE_BOND)],
            &[&authority],
        )
        .await;
        env
    }

    /// The program and a USDC-like mint; the protocol is not initialised. The bank also holds
    /// the test governance program ([`dao`]).
    pub async fn bare() -> Self {
        let mut bank = EmbeddedBank::start_with(START_TIME, |program_test| {
            program_test.add_program("dao_governance", dao::DAO_PROGRAM_ID, processor!(dao::process));
        })
        .await;
        let (authority, mint_authority) = (Keypair::new(), Keypair::new());
        bank.airdrop(&authority.pubkey(), USER_LAMPORTS).await.unwrap();
        let usdc = bank.create_mint(&mint_authority.pubkey(), USDC_DECIMALS, &spl_token::ID).await.unwrap();
        Self { bank, authority, treasury: Keypair::new().pubkey(), usdc, mint_authority, next_task_id: 1 }
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

    /// Sends and panics with the program's logs if the transaction fails.
    pub async fn execute(&mut self, ixs: &[Instruction], signers: &[&Keypair]) {
        if let Err(err) = self.send(ixs, signers).await {
            panic!("transaction failed: {err:?}");
        }
    }

    /// Sends a transaction that must fail with `code` (a `PobError` or an Anchor `ErrorCode`),
    /// and asserts that no account it names changed: lamports, owner and data (so no token
    /// balance either). Only the fee payer, who is no party to the protocol, pays the fee.
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
    pub async fn balance(&mut self, token_account: Pubkey) -> u64 {
        self.bank.token_balance(token_account).await
    }

    /// USDC balance of `owner`'s associated token account.
    pub async fn usdc_of(&mut self, owner: &Pubkey) -> u64 {
        let ata = self.usdc.ata(owner);
        self.balance(ata).await
    }

    pub async fn account<T: AccountDeserialize>(&mut self, address: Pubkey) -> T {
        let account = self.raw_account(address).await.unwrap_or_else(|| panic!("no account at {address}"));
        T::try_deserialize(&mut account.data.as_slice()).unwrap()
    }

    pub async fn protocol(&mut self) -> Protocol {
        self.account(pda::protocol()).await
    }

    pub async fn task(&mut self, task: &TaskRef) -> Task {
        self.account(task.address).await
    }

    /// Writes `account` at `address` directly into the bank: how the attack tests plant
    /// look-alike accounts that no instruction of the program would create.
    pub fn plant(&mut self, address: &Pubkey, account: Account) {
        self.bank.ctx.set_account(address, &account.into());
    }

    pub async fn airdrop(&mut self, to: &Pubkey, lamports: u64) {
        self.bank.airdrop(to, lamports).await.unwrap();
    }

    /// A new SPL Token mint (classic token program) with `decimals`.
    pub async fn create_mint(&mut self, decimals: u8) -> MintRef {
        let authority = self.mint_authority.pubkey();
        self.bank.create_mint(&authority, decimals, &spl_token::ID).await.unwrap()
    }

    /// Makes `mint` the harness's stablecoin (used by `user`, `worker`, `create_task`, ...),
    /// allowing it with the harness's limits.
    pub async fn use_mint(&mut self, mint: MintRef) {
        let (payer, authority) = (self.payer(), self.authority.insecure_clone());
        let allow = ix::allow_mint(&payer, &authority.pubkey(), mint, MIN_REWARD, MIN_STAKE, DISPUTE_BOND);
        self.execute(&[allow], &[&authority]).await;
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

    /// A registered worker with `stake` USDC staked and nothing else in their wallet.
    pub async fn worker(&mut self, stake: u64) -> Keypair {
        let worker = self.user(stake).await;
        let key = worker.pubkey();
        let usdc = self.usdc;
        self.execute(&[ix::register_worker(&key), ix::stake(&key, usdc, &usdc.ata(&key), stake)], &[&worker])
            .await;
        worker
    }

    /// Task arguments: n=5, k=3, 0.05 USDC per answer, 0.5 USDC stake, 50% paid without quorum,
    /// commit phase 1 hour, reveal phase 1 more hour. Each call uses a new task id.
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
            commit_deadline: self.now() + 3600,
            reveal_deadline: self.now() + 7200,
        }
    }

    pub async fn create_task(&mut self, requester: &Keypair, args: CreateTaskArgs) -> TaskRef {
        let usdc = self.usdc;
        let key = requester.pubkey();
        let task = TaskRef::new(key, args.task_id, usdc);
        self.execute(&[ix::create_task(&key, usdc, &usdc.ata(&key), args)], &[requester]).await;
        task
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
        let requester = self.user(10 * USDC).await;
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
        let payer = self.payer();
        self.execute(&[ix::claim(&payer, task, worker)], &[]).await;
    }

    pub async fn close(&mut self, task: &TaskRef) {
        let (payer, treasury) = (self.payer(), self.treasury);
        self.execute(&[ix::close_task(&payer, task, &treasury)], &[]).await;
    }
}

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

/// Deterministic per (task, worker) salt for tests; real clients draw it at random.
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

/// A readable name for an error code in assertion messages.
fn error_name(code: u32) -> String {
    match pob_cli::program_error::describe_code(code) {
        Some((name, message)) => format!("{name}: {message}"),
        None => format!("code {code}"),
    }
}
