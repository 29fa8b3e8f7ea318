//! The program's accounts as clients read them: zero-copy structs behind an 8-byte
//! discriminator, and a Task with its tally and spec URI. One reader for the CLI, the tests and
//! the bench.
use anchor_lang::{Discriminator, ZeroCopy};
use proof_of_brain::logic::tally::TallyEntry;
use proof_of_brain::state::{Task, TaskView};

/// The `T` stored in account `data`, or `None` if `data` is not a `T` (wrong discriminator or
/// too short). Copied out, so `data` needs no particular alignment.
pub fn read_state<T: ZeroCopy + Discriminator>(data: &[u8]) -> Option<T> {
    let body = data.strip_prefix(T::DISCRIMINATOR)?;
    bytemuck::try_pod_read_unaligned(body.get(..std::mem::size_of::<T>())?).ok()
}

/// A whole Task account, copied out of its data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedTask {
    pub header: Task,
    /// The used tally entries, in reveal order: a dispute's candidate `i` is entry `i`.
    pub tally: Vec<TallyEntry>,
    pub spec_uri: String,
}

impl OwnedTask {
    pub fn parse(data: &[u8]) -> Option<Self> {
        // TaskView borrows the header in place, which needs alignment: parse an aligned copy.
        let mut aligned = vec![0u64; data.len().div_ceil(8)];
        let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut aligned);
        bytes[..data.len()].copy_from_slice(data);
        let view = TaskView::parse(&bytes[..data.len()]).ok()?;
        Some(Self { header: *view.header, tally: view.tally.to_vec(), spec_uri: view.spec_uri().to_string() })
    }

    /// How many workers revealed `answer_hash`.
    pub fn votes_for(&self, answer_hash: &[u8; 32]) -> u8 {
        self.tally.iter().find(|entry| entry.answer_hash == *answer_hash).map_or(0, |entry| entry.count)
    }
}

impl std::ops::Deref for OwnedTask {
    type Target = Task;

    fn deref(&self) -> &Task {
        &self.header
    }
}
