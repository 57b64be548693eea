//! Who may call an operation, from the "Allowed For" section of its
//! description (`#### Allowed For` and a list: `* Agents`, `* Admins`,
//! `* End users`), as the `x-allowed-for` roles this workspace reads:
//! `agents`, `admins`, `end-users`.
//!
//! A list item names a role by its words ("Agents with permission to ..."
//! is `agents`); "Anyone" and "anonymous users" are taken as `end-users`,
//! the least role the fake knows (it signs every caller in). An item that
//! names no role is reported, not guessed.

/// The roles of the section, in the order named, and what could not be
/// read; `None` when the description has no such section.
pub fn from_description(description: &str) -> Option<(Vec<String>, Vec<String>)> {
    let mut lines = description.lines();
    lines.find(|line| {
        let heading = line.trim().trim_start_matches('#').trim();
        line.trim_start().starts_with('#') && heading.eq_ignore_ascii_case("allowed for")
    })?;
    let mut roles: Vec<String> = Vec::new();
    let mut unread = Vec::new();
    for line in lines {
        let line = line.trim();
        if line.starts_with('#') {
            break;
        }
        let Some(item) = line.strip_prefix("* ").or_else(|| line.strip_prefix("- ")) else {
            continue;
        };
        let named = roles_in(item);
        if named.is_empty() {
            unread.push(item.to_string());
        }
        for role in named {
            if !roles.iter().any(|r| r == role) {
                roles.push(role.to_string());
            }
        }
    }
    Some((roles, unread))
}

/// The roles one list item names.
fn roles_in(item: &str) -> Vec<&'static str> {
    // Only the item's own words, not those of a link or a note after it.
    let words = item
        .split(['[', '(', ':'])
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let mut roles = Vec::new();
    if words.contains("admin") {
        roles.push("admins");
    }
    if words.contains("agent") {
        roles.push("agents");
    }
    if words.contains("end user")
        || words.contains("end-user")
        || words.contains("anyone")
        || words.contains("anonymous")
    {
        roles.push("end-users");
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(description: &str) -> Vec<String> {
        from_description(description).unwrap().0
    }

    #[test]
    fn the_section_s_list_names_the_roles() {
        assert_eq!(roles("Shows.\n\n#### Allowed For\n\n* Agents\n"), ["agents"]);
        assert_eq!(roles("#### Allowed for\n* Admins, Agents and Light Agents"), ["admins", "agents"]);
        assert_eq!(roles(" #### Allowed for\n\n - End users\n\n#### Pagination\n* Agents"), ["end-users"]);
        assert_eq!(
            roles("#### Allowed For\n\n* Admins\n* Agents when [deleting tickets is enabled](https://x)\n"),
            ["admins", "agents"]
        );
        assert_eq!(roles("#### Allowed For\n* Anyone"), ["end-users"]);
        assert_eq!(roles("#### Allowed For\n* Verified end users"), ["end-users"]);
        let (found, unread) =
            from_description("#### Allowed For\n* [Agent Workspace](https://x) must be on\n").unwrap();
        assert!(found.is_empty());
        assert_eq!(unread, ["[Agent Workspace](https://x) must be on"]);
        assert_eq!(from_description("Lists tickets."), None);
    }
}
