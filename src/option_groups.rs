//! Options shown under their `group` heading, groups in order of first
//! appearance, so an endpoint may list options in any order it likes.

use survey_protocol::BatchOption;

/// Options sharing one heading, each with its index in the batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionGroup {
    /// `None` for options the batch gives no group.
    pub label: Option<String>,
    pub options: Vec<(usize, BatchOption)>,
}

pub fn group_options(options: &[BatchOption]) -> Vec<OptionGroup> {
    let mut groups: Vec<OptionGroup> = Vec::new();
    for (index, option) in options.iter().enumerate() {
        let entry = (index, option.clone());
        match groups.iter_mut().find(|g| g.label == option.group) {
            Some(group) => group.options.push(entry),
            None => groups.push(OptionGroup { label: option.group.clone(), options: vec![entry] }),
        }
    }
    groups
}
