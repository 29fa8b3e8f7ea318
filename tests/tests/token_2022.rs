//! Token-2022 stablecoins: a mint without extensions works end to end through the token
//! interface; a mint whose extensions would break escrow accounting is refused by `allow_mint`.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_instruction;
use anchor_spl::token_2022::spl_token_2022::extension::{
    confidential_transfer, default_account_state, interest_bearing_mint, metadata_pointer, pausable,
    transfer_fee, transfer_hook, ExtensionType,
};
use anchor_spl::token_2022::spl_token_2022::state::{AccountState, Mint};
use anchor_spl::token_2022::spl_token_2022::{self, instruction as token_ix};
use pob_cli::ix::MintRef;
use pob_cli::{ix, pda};
use proof_of_brain::state::MintConfig;
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

const T22: Pubkey = spl_token_2022::ID;

/// Builds the instruction that initialises one extension on a mint.
type InitExtension = Box<dyn FnOnce(&Pubkey) -> Instruction>;

/// A 6-decimal Token-2022 mint with one extension, initialised by `init` before the mint itself.
async fn mint_with(
    env: &mut TestEnv,
    extension: ExtensionType,
    init: impl FnOnce(&Pubkey) -> Instruction,
) -> MintRef {
    let mint = Keypair::new();
    let len = ExtensionType::try_calculate_account_len::<Mint>(&[extension]).unwrap();
    let rent = env.bank.rent_exempt_minimum(len).await;
    let (payer, authority) = (env.payer(), env.mint_authority.pubkey());
    let ixs = [
        system_instruction::create_account(&payer, &mint.pubkey(), rent, len as u64, &T22),
        init(&mint.pubkey()),
        token_ix::initialize_mint2(&T22, &mint.pubkey(), &authority, Some(&authority), 6).unwrap(),
    ];
    env.execute(&ixs, &[&mint]).await;
    MintRef { mint: mint.pubkey(), token_program: T22 }
}

fn allow(env: &TestEnv, mint: MintRef) -> Instruction {
    ix::allow_mint(&env.payer(), &env.authority.pubkey(), mint, default_limits())
}

#[tokio::test]
async fn a_token_2022_stablecoin_without_extensions_settles_end_to_end() {
    let mut env = TestEnv::new().await;
    let authority = env.mint_authority.pubkey();
    let mint = env.bank.create_mint(&authority, 6, &T22).await.unwrap();
    env.use_mint(mint).await;
    assert_eq!(env.raw_account(mint.vault()).await.unwrap().owner, T22);

    let requester = env.requester(10 * USDC).await;
    let workers = [env.worker(USDC).await, env.worker(USDC).await, env.worker(USDC).await];
    let mut args = env.task_args();
    args.answers_required = 3;
    args.quorum = 2;
    let task = env.create_task(&requester, args).await;
    assert_eq!(env.task(&task).await.deposit, 153_750); // ceil(3 * 50_000 * 1.025)
    for (worker, answer) in workers.iter().zip([b"yes", b"yes", b"no!"]) {
        env.commit(worker, &task, answer).await;
    }
    for (worker, answer) in workers.iter().zip([b"yes", b"yes", b"no!"]) {
        env.reveal(worker, &task, answer).await;
    }
    env.finalize(&task).await;
    env.warp_by(DISPUTE_WINDOW).await;
    for worker in &workers {
        env.claim(&task, &worker.pubkey()).await;
    }
    env.close(&task).await;
    env.assert_books_balance().await;

    let mut paid = Vec::new();
    for worker in &workers {
        paid.push(env.free(&worker.pubkey()).await - USDC);
    }
    assert_eq!(paid, [50_000, 50_000, 0]);
    assert_eq!(env.fees().await.accrued, 2_500);
    assert_eq!(env.free(&requester.pubkey()).await, 10 * USDC - 100_000 - 2_500);
    // Withdrawals go through the token interface too.
    env.withdraw(&workers[0], USDC + 50_000).await;
    assert_eq!(env.usdc_of(&workers[0].pubkey()).await, USDC + 50_000);
    assert!(!env.exists(task.address).await);
}

#[tokio::test]
async fn mints_whose_extensions_break_escrow_are_refused() {
    let mut env = TestEnv::new().await;
    let authority = env.mint_authority.pubkey();
    let cases: Vec<(ExtensionType, InitExtension, PobError)> = vec![
        (
            ExtensionType::TransferFeeConfig,
            Box::new(move |mint| {
                transfer_fee::instruction::initialize_transfer_fee_config(
                    &T22,
                    mint,
                    Some(&authority),
                    Some(&authority),
                    0, // even a zero fee: its authority could raise it while tokens sit in escrow
                    0,
                )
                .unwrap()
            }),
            PobError::MintHasTransferFee,
        ),
        (
            ExtensionType::TransferHook,
            Box::new(move |mint| {
                transfer_hook::instruction::initialize(&T22, mint, Some(authority), None).unwrap()
            }),
            PobError::MintHasTransferHook,
        ),
        (
            ExtensionType::PermanentDelegate,
            Box::new(move |mint| token_ix::initialize_permanent_delegate(&T22, mint, &authority).unwrap()),
            PobError::MintHasPermanentDelegate,
        ),
        (
            ExtensionType::ConfidentialTransferMint,
            Box::new(move |mint| {
                confidential_transfer::instruction::initialize_mint(&T22, mint, Some(authority), true, None)
                    .unwrap()
            }),
            PobError::MintHasConfidentialTransfers,
        ),
        (
            ExtensionType::NonTransferable,
            Box::new(|mint| token_ix::initialize_non_transferable_mint(&T22, mint).unwrap()),
            PobError::MintIsNonTransferable,
        ),
        (
            ExtensionType::DefaultAccountState,
            Box::new(|mint| {
                default_account_state::instruction::initialize_default_account_state(
                    &T22,
                    mint,
                    &AccountState::Frozen,
                )
                .unwrap()
            }),
            PobError::MintDefaultsToFrozen,
        ),
        (
            ExtensionType::Pausable,
            Box::new(move |mint| pausable::instruction::initialize(&T22, mint, &authority).unwrap()),
            PobError::MintIsPausable,
        ),
        (
            // A mint that can be closed could be re-created with extensions refused above.
            ExtensionType::MintCloseAuthority,
            Box::new(move |mint| {
                token_ix::initialize_mint_close_authority(&T22, mint, Some(&authority)).unwrap()
            }),
            PobError::MintHasCloseAuthority,
        ),
        (
            ExtensionType::InterestBearingConfig,
            Box::new(move |mint| {
                interest_bearing_mint::instruction::initialize(&T22, mint, Some(authority), 500).unwrap()
            }),
            PobError::UnsupportedMintExtension,
        ),
    ];
    let signer = env.authority.insecure_clone();
    for (extension, init, error) in cases {
        let mint = mint_with(&mut env, extension, init).await;
        let allow = allow(&env, mint);
        env.expect_error(&[allow], &[&signer], error).await;
        assert!(!env.exists(pda::mint_config(&mint.mint)).await, "{extension:?}: no config created");
    }
}

#[tokio::test]
async fn descriptive_extensions_are_accepted() {
    let mut env = TestEnv::new().await;
    let authority = env.mint_authority.pubkey();
    let signer = env.authority.insecure_clone();
    let with_metadata = mint_with(&mut env, ExtensionType::MetadataPointer, |mint| {
        metadata_pointer::instruction::initialize(&T22, mint, Some(authority), Some(*mint)).unwrap()
    })
    .await;
    let initialized_by_default = mint_with(&mut env, ExtensionType::DefaultAccountState, |mint| {
        default_account_state::instruction::initialize_default_account_state(
            &T22,
            mint,
            &AccountState::Initialized,
        )
        .unwrap()
    })
    .await;
    for mint in [with_metadata, initialized_by_default] {
        let allow = allow(&env, mint);
        env.execute(&[allow], &[&signer]).await;
        let config: MintConfig = env.state(pda::mint_config(&mint.mint)).await;
        assert_eq!(config.enabled, 1);
    }
}
