use anchor_lang::prelude::*;

/// Every rejection the program makes on its own account. Anchor's constraint errors (wrong
/// account, missing signer, ...) come in addition, with their own codes below 6000.
#[error_code]
pub enum PobError {
    // Governance
    #[msg("Signer is not the protocol authority")]
    NotProtocolAuthority,
    #[msg("Fee exceeds the hard cap of 1,000 bps (10%)")]
    FeeAboveCap,
    #[msg("Dispute and vote windows must be between 1 second and 30 days")]
    InvalidWindow,
    #[msg("No authority transfer is pending")]
    NoPendingAuthority,
    #[msg("Signer is not the pending authority")]
    NotPendingAuthority,
    #[msg("The protocol is paused: no new tasks")]
    ProtocolPaused,
    // Mints
    #[msg("This mint is not enabled for tasks or staking")]
    MintDisabled,
    #[msg("This mint has a Token-2022 extension the protocol does not support")]
    UnsupportedMintExtension,
    #[msg("Minimum reward and minimum stake per answer must be positive")]
    InvalidMintLimits,
    // Amounts
    #[msg("Amount must be greater than zero")]
    ZeroAmount,
    #[msg("Arithmetic overflow")]
    MathOverflow,
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
    #[msg("Deadlines must satisfy now < commit_deadline < reveal_deadline")]
    InvalidDeadlines,
    #[msg("Spec URI is longer than 200 bytes")]
    SpecUriTooLong,
    // Commit
    #[msg("The requester cannot answer their own task")]
    RequesterCannotAnswer,
    #[msg("The commit phase is over")]
    CommitPhaseOver,
    #[msg("Every answer slot of this task is taken")]
    TaskFull,
    #[msg("This worker already committed an answer to this task")]
    AlreadyCommitted,
    #[msg("Not enough free stake to cover stake_per_answer")]
    InsufficientFreeStake,
    // Reveal
    #[msg("The reveal phase has not started yet")]
    RevealPhaseNotStarted,
    #[msg("The reveal phase is over")]
    RevealPhaseOver,
    #[msg("This answer is already revealed")]
    AlreadyRevealed,
    #[msg("Answer and salt do not match the commitment")]
    CommitmentMismatch,
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
    // Stake
    #[msg("Unstake exceeds the free (unlocked) stake")]
    UnstakeExceedsFreeStake,
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
    #[msg("Not enough agreed answers to join the worker chamber")]
    NotEnoughAgreedAnswers,
    #[msg("Not enough stake to join the worker chamber")]
    NotEnoughStakeForChamber,
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
    #[msg("The requester of a task cannot vote on its dispute")]
    RequesterCannotVote,
    #[msg("A worker on a task cannot vote on its dispute")]
    WorkerCannotVote,
    #[msg("This member already voted on this dispute")]
    AlreadyVoted,
    #[msg("Voting on this dispute is closed")]
    VotingClosed,
    #[msg("The choice is not a candidate of this dispute")]
    InvalidChoice,
    #[msg("Voting is still open and no candidate holds a majority of all member weight")]
    VotingStillOpen,
    #[msg("The opener's Worker account is required to record the dispute")]
    OpenerWorkerAccountMissing,
    #[msg("The dispute of this vote is still open")]
    VoteStillNeeded,
    // Token-2022 extensions refused by allow_mint: each breaks escrow accounting
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
}
