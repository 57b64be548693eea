//! `date-time` values, kept as the text the service sent.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, SecondsFormat, TimeZone};

/// An RFC 3339 timestamp such as `2018-11-20T16:58:36.453+00:00`.
///
/// Zendesk writes the same instant as `...+00:00` in some places and `...Z`
/// in others. `Timestamp` keeps the text it was given, so a value read and
/// written back is unchanged; [`Timestamp::to_datetime`] reads the instant.
/// Reading a response never fails on a timestamp: a malformed one is kept
/// as text and reported by `to_datetime`.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(String);

impl Timestamp {
    /// The timestamp as the service wrote it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The instant, with the offset it was written in.
    pub fn to_datetime(&self) -> Result<DateTime<FixedOffset>, chrono::ParseError> {
        DateTime::parse_from_rfc3339(&self.0)
    }
}

impl<Tz: TimeZone> From<DateTime<Tz>> for Timestamp
where
    Tz::Offset: fmt::Display,
{
    fn from(value: DateTime<Tz>) -> Self {
        Timestamp(value.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

impl FromStr for Timestamp {
    type Err = chrono::ParseError;

    /// Accepts RFC 3339 text only, for values a program builds itself.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        DateTime::parse_from_rfc3339(text)?;
        Ok(Timestamp(text.to_string()))
    }
}

impl TryFrom<&str> for Timestamp {
    type Error = chrono::ParseError;
    fn try_from(text: &str) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> String {
        "Timestamp".into()
    }

    fn is_referenceable() -> bool {
        false
    }

    fn json_schema(_: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("date-time".into()),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_text_and_reads_the_instant() {
        let plus: Timestamp = serde_json::from_str("\"2018-11-20T16:58:36.453+00:00\"").unwrap();
        let zulu: Timestamp = serde_json::from_str("\"2018-11-20T16:58:36.453Z\"").unwrap();
        assert_eq!(
            serde_json::to_string(&plus).unwrap(),
            "\"2018-11-20T16:58:36.453+00:00\""
        );
        assert_ne!(plus, zulu);
        assert_eq!(plus.to_datetime().unwrap(), zulu.to_datetime().unwrap());
    }

    #[test]
    fn malformed_text_is_kept_when_read_and_refused_when_built() {
        let odd: Timestamp = serde_json::from_str("\"yesterday\"").unwrap();
        assert!(odd.to_datetime().is_err());
        assert!("yesterday".parse::<Timestamp>().is_err());
    }

    #[test]
    fn built_from_chrono_in_utc() {
        let at = chrono::Utc
            .with_ymd_and_hms(2022, 10, 5, 20, 47, 2)
            .unwrap();
        assert_eq!(Timestamp::from(at).as_str(), "2022-10-05T20:47:02Z");
    }
}
