//! Program errors by name and message, for people: `RewardBelowFloor: Reward per answer is below
//! the wage floor for this mint` rather than `custom program error: 0x177b`.
use anchor_lang::error::ErrorCode as AnchorError;
use proof_of_brain::error::PobError;
use solana_sdk::instruction::InstructionError;
use solana_sdk::transaction::TransactionError;

/// Every `PobError`, in declaration order: index i has code 6000 + i (a test keeps this list and
/// the program's error.rs in step).
pub const POB_ERRORS: &[PobError] = &[
    PobError::NotProtocolAuthority,
    PobError::FeeAboveCap,
    PobError::InvalidWindow,
    PobError::InvalidTaskWindowBounds,
    PobError::InvalidMinVoteWeight,
    PobError::NoPendingAuthority,
    PobError::NotPendingAuthority,
    PobError::ProtocolPaused,
    PobError::NotTreasury,
    PobError::MintDisabled,
    PobError::InvalidMintLimits,
    PobError::ZeroDisputeBond,
    PobError::WrongMint,
    PobError::WrongVault,
    PobError::WrongTokenProgram,
    PobError::ZeroAmount,
    PobError::MathOverflow,
    PobError::InsufficientFreeBalance,
    PobError::InsufficientFees,
    PobError::WrongBalance,
    PobError::BalanceAlreadyOpen,
    PobError::RewardBelowFloor,
    PobError::StakeBelowMinimum,
    PobError::InvalidAnswerCount,
    PobError::InvalidQuorum,
    PobError::InvalidNoQuorumBps,
    PobError::NoQuorumShareTooLow,
    PobError::CommitWindowOutOfBounds,
    PobError::RevealWindowOutOfBounds,
    PobError::SpecUriTooLong,
    PobError::InvalidQualification,
    PobError::RequesterCannotAnswer,
    PobError::CommitPhaseOver,
    PobError::TaskFull,
    PobError::AlreadyCommitted,
    PobError::InsufficientFreeStake,
    PobError::BelowMinAgreedAnswers,
    PobError::BelowMinAgreementRate,
    PobError::BelowMinGoldAccuracy,
    PobError::WrongWorkerRecord,
    PobError::RevealPhaseNotStarted,
    PobError::RevealPhaseOver,
    PobError::AlreadyRevealed,
    PobError::CommitmentMismatch,
    PobError::WrongSubmission,
    PobError::NoGoldSealed,
    PobError::GoldAlreadyRevealed,
    PobError::GoldRevealWindowClosed,
    PobError::GoldMismatch,
    PobError::TaskNotOpen,
    PobError::FinalizeTooEarly,
    PobError::TaskNotFinalized,
    PobError::DisputeWindowOpen,
    PobError::SubmissionsOutstanding,
    PobError::TaskHasCommitments,
    PobError::WrongRequesterRecord,
    PobError::NotTheRequester,
    PobError::WrongRecipient,
    PobError::ProtocolAlreadyInitialized,
    PobError::WorkerAlreadyRegistered,
    PobError::TaskIdInUse,
    PobError::InvalidMemberWeight,
    PobError::AlreadyMember,
    PobError::ChamberWeightFollowsStake,
    PobError::NotEnoughRewardsForChamber,
    PobError::ChamberStakeTooSmall,
    PobError::ChamberStakeLocked,
    PobError::NothingToRelease,
    PobError::ChamberBalanceMissing,
    PobError::NotEligibleToDispute,
    PobError::AnswerNotRevealed,
    PobError::DisputeWindowClosed,
    PobError::DisputeAlreadyOpen,
    PobError::DisputeOpen,
    PobError::NotAMember,
    PobError::RequesterCannotVote,
    PobError::WorkerCannotVote,
    PobError::JoinedAfterDisputeOpened,
    PobError::AlreadyVoted,
    PobError::VotingClosed,
    PobError::InvalidChoice,
    PobError::VotingStillOpen,
    PobError::WrongDispute,
    PobError::OpenerRecordMissing,
    PobError::VoteStillNeeded,
    PobError::UnsupportedMintExtension,
    PobError::MintHasTransferFee,
    PobError::MintHasTransferHook,
    PobError::MintHasPermanentDelegate,
    PobError::MintHasConfidentialTransfers,
    PobError::MintIsNonTransferable,
    PobError::MintDefaultsToFrozen,
    PobError::MintIsPausable,
    PobError::MintHasCloseAuthority,
];

/// Anchor's account-validation errors that this program's instructions can return.
const ANCHOR_ERRORS: &[AnchorError] = &[
    AnchorError::ConstraintMut,
    AnchorError::ConstraintHasOne,
    AnchorError::ConstraintRaw,
    AnchorError::ConstraintSeeds,
    AnchorError::ConstraintAssociated,
    AnchorError::ConstraintAddress,
    AnchorError::ConstraintTokenMint,
    AnchorError::ConstraintTokenOwner,
    AnchorError::ConstraintMintTokenProgram,
    AnchorError::ConstraintAssociatedTokenTokenProgram,
    AnchorError::ConstraintDuplicateMutableAccount,
    AnchorError::AccountDiscriminatorNotFound,
    AnchorError::AccountDiscriminatorMismatch,
    AnchorError::AccountDidNotDeserialize,
    AnchorError::AccountOwnedByWrongProgram,
    AnchorError::InvalidProgramId,
    AnchorError::AccountNotSigner,
    AnchorError::AccountNotInitialized,
];

/// The name and message of a custom error code of this program (PobError or Anchor's own).
pub fn describe_code(code: u32) -> Option<(String, String)> {
    let pob =
        code.checked_sub(anchor_lang::error::ERROR_CODE_OFFSET).and_then(|i| POB_ERRORS.get(i as usize));
    if let Some(error) = pob {
        return Some((error.name(), error.to_string()));
    }
    ANCHOR_ERRORS.iter().find(|e| u32::from(**e) == code).map(|e| (e.name(), e.to_string()))
}

/// A one-line, readable account of why a transaction failed.
pub fn describe(error: &TransactionError) -> String {
    match error {
        TransactionError::InstructionError(index, InstructionError::Custom(code)) => {
            match describe_code(*code) {
                Some((name, message)) => format!("instruction {index} failed: {name}: {message}"),
                // Both the system program (a transfer) and the token programs use 1 for this.
                None if *code == 1 => format!(
                    "instruction {index} failed: insufficient funds (custom error 1: not enough SOL, or not \
                     enough tokens in the paying token account)"
                ),
                None => format!("instruction {index} failed with custom error {code}"),
            }
        }
        TransactionError::InstructionError(index, other) => format!("instruction {index} failed: {other}"),
        other => format!("transaction failed: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_matches_the_program_error_enum() {
        let source = include_str!("../../programs/proof-of-brain/src/error.rs");
        let declared: Vec<&str> = source
            .lines()
            .filter_map(|line| line.strip_prefix("    ")?.strip_suffix(','))
            .filter(|name| name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && !name.contains(' '))
            .collect();
        let listed: Vec<String> = POB_ERRORS.iter().map(PobError::name).collect();
        assert_eq!(listed, declared);
        for (i, error) in POB_ERRORS.iter().enumerate() {
            assert_eq!(u32::from(*error), 6000 + i as u32, "{}", error.name());
        }
    }

    #[test]
    fn custom_codes_read_as_names_and_messages() {
        let error = TransactionError::InstructionError(
            0,
            InstructionError::Custom(u32::from(PobError::RewardBelowFloor)),
        );
        assert_eq!(
            describe(&error),
            "instruction 0 failed: RewardBelowFloor: Reward per answer is below the wage floor for this mint"
        );
        let anchor = TransactionError::InstructionError(1, InstructionError::Custom(3012));
        assert!(describe(&anchor).starts_with("instruction 1 failed: AccountNotInitialized: "));
        let unknown = TransactionError::InstructionError(0, InstructionError::Custom(77));
        assert_eq!(describe(&unknown), "instruction 0 failed with custom error 77");
        let broke = TransactionError::InstructionError(0, InstructionError::Custom(1));
        assert!(describe(&broke).starts_with("instruction 0 failed: insufficient funds"));
        assert_eq!(
            describe(&TransactionError::InstructionError(2, InstructionError::MissingRequiredSignature)),
            "instruction 2 failed: missing required signature for instruction"
        );
    }
}
