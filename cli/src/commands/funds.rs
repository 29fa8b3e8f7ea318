//! `pob balance|deposit|withdraw|fees`: the program-held balances settlement credits, which
//! only their owners withdraw. Also the funding steps other commands prepend (open the balance,
//! deposit a shortfall from the wallet's token account).
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use proof_of_brain::state::{Balance, FeeBalance};

use super::amount_flag;
use crate::amount::format_amount;
use crate::ix;
use crate::output::{money, time, Report};
use crate::pda;
use crate::session::{MintInfo, Session};

/// `pob balance`: what the program holds for a wallet.
#[derive(Args, Debug)]
pub struct BalanceArgs {
    /// Whose balance. Default: the wallet.
    wallet: Option<Pubkey>,
    /// Default: the cluster's USDC (the test USDC on the embedded ledger).
    #[arg(long)]
    mint: Option<Pubkey>,
}

#[derive(Args, Debug)]
pub struct DepositArgs {
    /// Amount in tokens, e.g. 2.5.
    amount: String,
    /// Default: the cluster's USDC (the test USDC on the embedded ledger).
    #[arg(long)]
    mint: Option<Pubkey>,
    /// Token account to take it from (the wallet must own or be delegated it). Default: the
    /// wallet's associated token account.
    #[arg(long, value_name = "TOKEN_ACCOUNT")]
    from: Option<Pubkey>,
}

#[derive(Args, Debug)]
pub struct WithdrawArgs {
    /// Amount in tokens, e.g. 2.5.
    #[arg(required_unless_present = "all")]
    amount: Option<String>,
    /// Withdraw all of the free balance.
    #[arg(long, conflicts_with = "amount")]
    all: bool,
    /// Default: the cluster's USDC (the test USDC on the embedded ledger).
    #[arg(long)]
    mint: Option<Pubkey>,
    /// Any token account of the mint. Default: the wallet's associated token account (created
    /// if missing).
    #[arg(long, value_name = "TOKEN_ACCOUNT")]
    to: Option<Pubkey>,
}

#[derive(Subcommand, Debug)]
pub enum FeesCommand {
    /// The protocol's fees in a mint: accrued (withdrawable), collected, withdrawn.
    Show {
        /// Default: the cluster's USDC (the test USDC on the embedded ledger).
        #[arg(long)]
        mint: Option<Pubkey>,
    },
    /// Withdraw accrued fees (the treasury signs).
    Withdraw(WithdrawArgs),
}

/// The instruction opening `wallet`'s balance in `mint`, if it has none yet.
pub(crate) async fn open_balance_if_missing(
    session: &mut Session,
    wallet: &Pubkey,
    mint: &Pubkey,
) -> Result<Option<Instruction>> {
    Ok(match session.balance(wallet, mint).await? {
        Some(_) => None,
        None => Some(ix::open_balance(wallet, mint)),
    })
}

/// What the wallet must do so that its free balance in `mint` covers `needed`: open the balance
/// and deposit the shortfall from its token account. Refuses, with both figures, when the token
/// account cannot cover the shortfall either. Returns the instructions and the amount deposited.
pub(crate) async fn fund(
    session: &mut Session,
    mint: &MintInfo,
    needed: u64,
    what: &str,
) -> Result<(Vec<Instruction>, u64)> {
    let wallet = session.wallet_address()?;
    let balance = session.balance(&wallet, &mint.mint.mint).await?;
    let free = balance.as_ref().map_or(0, |balance| balance.free);
    let mut ixs = Vec::new();
    if balance.is_none() {
        ixs.push(ix::open_balance(&wallet, &mint.mint.mint));
    }
    if free >= needed {
        return Ok((ixs, 0));
    }
    let shortfall = needed - free;
    let source = mint.mint.ata(&wallet);
    let held = session.token_balance(&source).await?;
    let amount = |value| format_amount(value, mint.decimals);
    if held < shortfall {
        let get = if session.ledger.is_embedded() {
            format!(
                " (on the embedded ledger: `{}`)",
                session.hint(&format!("embedded mint {}", amount(shortfall - held)))
            )
        } else {
            String::new()
        };
        bail!(
            "{what} needs {} in {}; your free balance is {} and your token account {source} holds {}: \
             get {} more tokens{get}",
            amount(needed),
            mint.mint.mint,
            amount(free),
            amount(held),
            amount(shortfall - held)
        );
    }
    ixs.push(ix::deposit(&wallet, mint.mint, &source, shortfall));
    Ok((ixs, shortfall))
}

pub async fn balance(session: &mut Session, args: BalanceArgs) -> Result<Report> {
    let wallet = session.address_or_wallet(args.wallet)?;
    let mint = session.mint_or_default(args.mint).await?;
    let balance = session.balance(&wallet, &mint.mint.mint).await?;
    let tokens = session.token_balance(&mint.mint.ata(&wallet)).await?;
    let now = session.now().await?;
    let mut report =
        describe(Report::new(format!("Balance of {wallet}")), &wallet, &mint, balance.as_ref(), now)
            .field("wallet_token_account", mint.mint.ata(&wallet).to_string())
            .field("wallet_tokens", money(tokens, mint.decimals));
    if balance.is_some_and(|balance| balance.free > 0) && session.wallet_address().ok() == Some(wallet) {
        report = report.note(format!("Withdraw with `{}`.", session.hint("withdraw --all")));
    }
    Ok(report)
}

fn describe(report: Report, wallet: &Pubkey, mint: &MintInfo, balance: Option<&Balance>, now: i64) -> Report {
    let zero = bytemuck::Zeroable::zeroed();
    let b: &Balance = balance.unwrap_or(&zero);
    let amount = |value| money(value, mint.decimals);
    report
        .field("wallet", wallet.to_string())
        .field("mint", mint.mint.mint.to_string())
        .field("opened", balance.is_some())
        .field("free", amount(b.free))
        .field("locked", amount(b.locked))
        .field("chamber_locked", amount(b.chamber_locked))
        .field(
            "chamber_unlocks_at",
            (b.chamber_locked > 0 && b.chamber_member == 0).then(|| time(b.chamber_unlocks_at, now)),
        )
        .field("rewards_earned", amount(b.rewards_earned))
        .field("slashed", amount(b.slashed))
        .field("balance_account", pda::balance(wallet, &mint.mint.mint).to_string())
}

pub async fn deposit(session: &mut Session, args: DepositArgs) -> Result<Report> {
    let mint = session.mint_or_default(args.mint).await?;
    let amount = amount_flag("AMOUNT", &args.amount, mint.decimals)?;
    if amount == 0 {
        bail!("AMOUNT: must be more than 0");
    }
    session.mint_config(&mint.mint.mint).await?;
    let wallet = session.wallet_address()?;
    let source = args.from.unwrap_or_else(|| mint.mint.ata(&wallet));
    let held = session.token_balance(&source).await?;
    if held < amount {
        bail!(
            "AMOUNT: the token account {source} holds {}, less than {}",
            format_amount(held, mint.decimals),
            format_amount(amount, mint.decimals)
        );
    }
    let mut ixs: Vec<Instruction> =
        open_balance_if_missing(session, &wallet, &mint.mint.mint).await?.into_iter().collect();
    ixs.push(ix::deposit(&wallet, mint.mint, &source, amount));
    let signature = session.send(&ixs, &[]).await?;
    let balance = session.balance(&wallet, &mint.mint.mint).await?;
    let now = session.now().await?;
    Ok(describe(Report::new("Deposited"), &wallet, &mint, balance.as_ref(), now)
        .field("deposited", money(amount, mint.decimals))
        .field("from", source.to_string())
        .field("signature", signature.to_string()))
}

/// The destination token account and the instruction creating it if it is the wallet's missing
/// associated token account.
async fn destination(
    session: &mut Session,
    mint: &MintInfo,
    to: Option<Pubkey>,
) -> Result<(Pubkey, Option<Instruction>)> {
    let wallet = session.wallet_address()?;
    if let Some(to) = to {
        let account = session.ledger.account(&to).await?;
        let Some(account) = account else { bail!("--to: no token account {to}") };
        if account.owner != mint.mint.token_program || account.data.get(..32) != Some(mint.mint.mint.as_ref())
        {
            bail!("--to: {to} is not a token account of mint {}", mint.mint.mint);
        }
        return Ok((to, None));
    }
    let ata = mint.mint.ata(&wallet);
    let create = session.ledger.account(&ata).await?.is_none().then(|| {
        create_associated_token_account_idempotent(
            &wallet,
            &wallet,
            &mint.mint.mint,
            &mint.mint.token_program,
        )
    });
    Ok((ata, create))
}

pub async fn withdraw(session: &mut Session, args: WithdrawArgs) -> Result<Report> {
    let mint = session.mint_or_default(args.mint).await?;
    let wallet = session.wallet_address()?;
    let typed = match &args.amount {
        Some(text) => Some(amount_flag("AMOUNT", text, mint.decimals)?).filter(|amount| *amount > 0),
        None => None,
    };
    if args.amount.is_some() && typed.is_none() {
        bail!("AMOUNT: must be more than 0");
    }
    let Some(balance) = session.balance(&wallet, &mint.mint.mint).await? else {
        bail!("{wallet} has no balance in {} yet (deposits and earnings open one)", mint.mint.mint);
    };
    let amount = typed.unwrap_or(balance.free);
    let show = |value| format_amount(value, mint.decimals);
    if amount == 0 {
        bail!(
            "nothing to withdraw: the free balance is {} ({} locked behind open answers, {} of chamber stake)",
            show(balance.free),
            show(balance.locked),
            show(balance.chamber_locked)
        );
    }
    if amount > balance.free {
        bail!(
            "AMOUNT: the free balance is {}, less than {} ({} is locked behind open answers and {} is chamber stake)",
            show(balance.free),
            show(amount),
            show(balance.locked),
            show(balance.chamber_locked)
        );
    }
    let (to, create) = destination(session, &mint, args.to).await?;
    let before = session.token_balance(&to).await?;
    let mut ixs: Vec<Instruction> = create.into_iter().collect();
    ixs.push(ix::withdraw(&wallet, mint.mint, &to, amount));
    let signature = session.send(&ixs, &[]).await?;
    let after = session.token_balance(&to).await?;
    let balance = session.balance(&wallet, &mint.mint.mint).await?;
    let now = session.now().await?;
    Ok(describe(Report::new("Withdrawn"), &wallet, &mint, balance.as_ref(), now)
        .field("withdrawn", money(amount, mint.decimals))
        .field("to", to.to_string())
        .field("to_balance", money(after, mint.decimals))
        .field("received", money(after.saturating_sub(before), mint.decimals))
        .field("signature", signature.to_string()))
}

pub async fn fees(session: &mut Session, command: FeesCommand) -> Result<Report> {
    match command {
        FeesCommand::Show { mint } => {
            let mint = session.mint_or_default(mint).await?;
            let fees = fee_balance(session, &mint).await?;
            let treasury = session.protocol().await?.treasury;
            Ok(describe_fees(Report::new("Protocol fees"), &mint, &fees)
                .field("treasury", treasury.to_string()))
        }
        FeesCommand::Withdraw(args) => {
            let mint = session.mint_or_default(args.mint).await?;
            let protocol = session.protocol().await?;
            let wallet = session.wallet_address()?;
            if wallet != protocol.treasury {
                bail!("only the treasury {} withdraws fees; this wallet is {wallet} (sign with its keypair: -k)", protocol.treasury);
            }
            let fees = fee_balance(session, &mint).await?;
            let amount = match &args.amount {
                Some(text) => amount_flag("AMOUNT", text, mint.decimals)?,
                None => fees.accrued,
            };
            let show = |value| format_amount(value, mint.decimals);
            if amount == 0 {
                bail!("nothing to withdraw: {} of fees accrued", show(fees.accrued));
            }
            if amount > fees.accrued {
                bail!("AMOUNT: {} of fees accrued, less than {}", show(fees.accrued), show(amount));
            }
            let (to, create) = destination(session, &mint, args.to).await?;
            let mut ixs: Vec<Instruction> = create.into_iter().collect();
            ixs.push(ix::withdraw_fees(&wallet, mint.mint, &to, amount));
            let signature = session.send(&ixs, &[]).await?;
            let fees = fee_balance(session, &mint).await?;
            Ok(describe_fees(Report::new("Fees withdrawn"), &mint, &fees)
                .field("withdrawn", money(amount, mint.decimals))
                .field("to", to.to_string())
                .field("signature", signature.to_string()))
        }
    }
}

async fn fee_balance(session: &mut Session, mint: &MintInfo) -> Result<FeeBalance> {
    session.mint_config(&mint.mint.mint).await?;
    Ok(session.fetch(&pda::fee_balance(&mint.mint.mint)).await?.unwrap_or_else(bytemuck::Zeroable::zeroed))
}

fn describe_fees(report: Report, mint: &MintInfo, fees: &FeeBalance) -> Report {
    report
        .field("mint", mint.mint.mint.to_string())
        .field("accrued", money(fees.accrued, mint.decimals))
        .field("collected", money(fees.collected, mint.decimals))
        .field("withdrawn", money(fees.withdrawn, mint.decimals))
}
