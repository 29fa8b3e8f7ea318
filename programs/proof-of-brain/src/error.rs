use anchor_lang::prelude::*;

/// Every rejection the program makes on its own account. Anchor's constraint errors (missing
/// signer, wrong account type, ...) come in addition, with their own codes below 6000.
#[error_code]
pub enum PobError {
    // Governance
    #[msg("Signer is not the protocol authority")]
    NotProtocolAuthority,
    #[msg("Fee exceeds the hard cap of 1,000 bps (10%)")]
    FeeAboveCap,
    #[msg("Dispute and vote windows must be between 1 second and 30 days")]
    InvalidWindow,
    #[msg("Task window bounds must satisfy 60 s <= min <= max <= 30 days")]
    InvalidTaskWindowBounds,
    #[msg("min_vote_weight must be greater than zero")]
    InvalidMinVoteWeight,
    #[msg("No authority transfer is pending")]
    NoPendingAuthority,
    #[msg("Signer is not the pending authority")]
    NotPendingAuthority,
    #[msg("The protocol is paused: no new tasks")]
    ProtocolPaused,
    #[msg("Signer is not the protocol treasury")]
    NotTreasury,
    // Mints and token accounts
    #[msg("This mint is not enabled for tasks or deposits")]
    MintDisabled,
    #[msg("Minimum reward, minimum stake and chamber stake per weight must be positive")]
    InvalidMintLimits,
    #[msg("The dispute bond must be greater than zero")]
    ZeroDisputeBond,
    #[msg("The token account is not an account of this task's or balance's mint")]
    WrongMint,
    #[msg("The account is not the vault of this mint")]
    WrongVault,
    #[msg("The token program is not the one that owns this mint")]
    WrongTokenProgram,
    // Amounts and balances
    #[msg("Amount must be greater than zero")]
    ZeroAmount,
    #[msg("Arithmetic overflow")]
    MathOverflow,
    #[msg("Amount exceeds the free balance")]
    InsufficientFreeBalance,
    #[msg("Amount exceeds the fees accrued in this mint")]
    InsufficientFees,
    #[msg("This balance belongs to another wallet or mint")]
    WrongBalance,
    #[msg("This wallet already has a balance in this mint")]
    BalanceAlreadyOpen,
    // Task creation
    #[msg("Reward per answer is below the wage floor for this mint")]
    RewardBelowFloor,
    #[msg("Stake per answer is below the minimum for this mint")]
    StakeBelowMinimum,
    #[msg("answers_required must be between 1 and 32")]
    InvalidAnswerCount,
    #[msg("quorum must satisfy answers_required / 2 < quorum <= answers_required")]
    InvalidQuorum,
    #[msg("no_quorum_bps must be at most 10,000")]
    InvalidNoQuorumBps,
    #[msg("no_quorum_bps is below the protocol's minimum share for revealers")]
    NoQuorumShareTooLow,
    #[msg("The commit window is outside the protocol's bounds")]
    CommitWindowOutOfBounds,
    #[msg("The reveal window is outside the protocol's bounds")]
    RevealWindowOutOfBounds,
    #[msg("Spec URI is longer than 200 bytes")]
    SpecUriTooLong,
    #[msg("Qualification rates must be at most 10,000 bps")]
    InvalidQualification,
    // Commit
    #[msg("The requester cannot answer their own task")]
    RequesterCannotAnswer,
    #[msg("The commit phase is over")]
    CommitPhaseOver,
    #[msg("Every answer slot of this task is taken")]
    TaskFull,
    #[msg("This worker already committed an answer to this task")]
    AlreadyCommitted,
    #[msg("Not enough free balance to cover stake_per_answer")]
    InsufficientFreeStake,
    #[msg("The worker has fewer agreed answers than this task requires")]
    BelowMinAgreedAnswers,
    #[msg("The worker's agreement rate is below what this task requires")]
    BelowMinAgreementRate,
    #[msg("The worker's gold accuracy is below what this task requires")]
    BelowMinGoldAccuracy,
    #[msg("This worker record belongs to another wallet")]
    WrongWorkerRecord,
    // Reveal
    #[msg("The reveal phase has not started yet")]
    RevealPhaseNotStarted,
    #[msg("The reveal phase is over")]
    RevealPhaseOver,
    #[msg("This answer is already revealed")]
    AlreadyRevealed,
    #[msg("Answer and salt do not match the commitment")]
    CommitmentMismatch,
    #[msg("This submission belongs to another task or worker")]
    WrongSubmission,
    // Gold answers
    #[msg("This task has no sealed gold answer")]
    NoGoldSealed,
    #[msg("The gold answer is already revealed")]
    GoldAlreadyRevealed,
    #[msg("The gold answer can only be revealed during the dispute window")]
    GoldRevealWindowClosed,
    #[msg("Answer and salt do not match the sealed gold answer")]
    GoldMismatch,
    // Finalize, claim, close, cancel
    #[msg("The task is not open")]
    TaskNotOpen,
    #[msg("The task cannot be finalized before its reveal deadline")]
    FinalizeTooEarly,
    #[msg("The task is not finalized")]
    TaskNotFinalized,
    #[msg("The dispute window is still open")]
    DisputeWindowOpen,
    #[msg("Some submissions are not settled yet")]
    SubmissionsOutstanding,
    #[msg("Cannot cancel: a worker already committed")]
    TaskHasCommitments,
    #[msg("This requester record belongs to another wallet")]
    WrongRequesterRecord,
    #[msg("Only the task's requester can do this")]
    NotTheRequester,
    #[msg("The account is not the wallet this instruction pays")]
    WrongRecipient,
    // Account creation
    #[msg("The protocol is already initialized")]
    ProtocolAlreadyInitialized,
    #[msg("This wallet is already registered as a worker")]
    WorkerAlreadyRegistered,
    #[msg("This requester already has a task with this id")]
    TaskIdInUse,
    // DAO membership
    #[msg("Member weight must be greater than zero")]
    InvalidMemberWeight,
    #[msg("This wallet is already a member")]
    AlreadyMember,
    #[msg("A chamber member's weight follows their locked stake; it cannot be set")]
    ChamberWeightFollowsStake,
    #[msg("Not enough rewards earned in this mint to join the worker chamber")]
    NotEnoughRewardsForChamber,
    #[msg("The chamber stake is too small for a vote weight of at least 1")]
    ChamberStakeTooSmall,
    #[msg("Chamber stake stays locked while a member and for one vote window after leaving")]
    ChamberStakeLocked,
    #[msg("There is no chamber stake to release")]
    NothingToRelease,
    #[msg("A chamber member's balance is required to unlock their stake")]
    ChamberBalanceMissing,
    // Disputes
    #[msg("Only the requester or a worker who revealed an answer can open a dispute")]
    NotEligibleToDispute,
    #[msg("A worker must have revealed an answer to open a dispute")]
    AnswerNotRevealed,
    #[msg("The dispute window is over")]
    DisputeWindowClosed,
    #[msg("A dispute is already open on this task")]
    DisputeAlreadyOpen,
    #[msg("A dispute is open on this task: settlement waits for its resolution")]
    DisputeOpen,
    #[msg("The voter is not a DAO member")]
    NotAMember,
    #[msg("The requester of a task cannot vote on its dispute")]
    RequesterCannotVote,
    #[msg("A worker on a task cannot vote on its dispute")]
    WorkerCannotVote,
    #[msg("Only members whose weight predates the dispute can vote on it")]
    JoinedAfterDisputeOpened,
    #[msg("This member already voted on this dispute")]
    AlreadyVoted,
    #[msg("Voting on this dispute is closed")]
    VotingClosed,
    #[msg("The choice is not a candidate of this dispute")]
    InvalidChoice,
    #[msg("Voting is still open: no candidate holds a majority of the member weight, or too little weight voted")]
    VotingStillOpen,
    #[msg("This dispute belongs to another task, or this vote to another dispute")]
    WrongDispute,
    #[msg("The opener's worker or requester record is required")]
    OpenerRecordMissing,
    #[msg("The dispute of this vote is still open")]
    VoteStillNeeded,
    // Token-2022 extensions refused by allow_mint: each breaks escrow accounting
    #[msg("This mint has a Token-2022 extension the protocol does not support")]
    UnsupportedMintExtension,
    #[msg("Mint has a transfer fee: escrowed amounts would shrink in transit")]
    MintHasTransferFee,
    #[msg("Mint has a transfer hook: transfers could run arbitrary code or fail")]
    MintHasTransferHook,
    #[msg("Mint has a permanent delegate: escrowed tokens could be taken")]
    MintHasPermanentDelegate,
    #[msg("Mint has confidential transfers: balances would not be visible to the program")]
    MintHasConfidentialTransfers,
    #[msg("Mint is non-transferable")]
    MintIsNonTransferable,
    #[msg("Mint creates frozen token accounts by default")]
    MintDefaultsToFrozen,
    #[msg("Mint can be paused: escrowed tokens could be locked")]
    MintIsPausable,
    #[msg("Mint has a close authority: it could be closed and re-created with other extensions")]
    MintHasCloseAuthority,
}
