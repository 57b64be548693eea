//! The xtask's integration tests: the import of a vendor's document and the
//! spec diff.

mod import;
mod spec_diff;
