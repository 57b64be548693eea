//! Whether a big document is valid, decided while it is read: this thread
//! only finds where each item of its arrays (an export's `events`, a list's
//! `side_conversations`) begins and ends, and worker threads parse, check
//! and free the items, each on the thread that allocated it. The document is
//! never held as one tree. Only a yes is trusted: any doubt (an invalid
//! item, a parse error, an unexpected shape) sends the caller back to the
//! whole-document path, which says what and where.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Mutex, OnceLock};

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::schemas::{bundle, schema, SchemaValidator};

/// How a schema's documents can be split: the array properties whose items
/// are checked one by one, against their own schema.
#[derive(Debug)]
struct Plan {
    /// Each array property, and the component schema its items follow
    /// (compiled when a document of this schema is first checked).
    arrays: BTreeMap<String, &'static str>,
}

/// Keywords of an object schema that look at a property only through that
/// property's own schema: with only these, an array property can be
/// checked item by item, apart from the rest of the object.
const SEPARABLE_KEYWORDS: &[&str] = &[
    "type",
    "properties",
    "required",
    "additionalProperties",
    "description",
    "title",
    "examples",
];

/// The plan for `name`, once per process; `None` when its documents cannot
/// be split.
fn plan(name: &str) -> Option<&'static Plan> {
    static PLANS: OnceLock<BTreeMap<String, Option<Plan>>> = OnceLock::new();
    PLANS
        .get_or_init(|| {
            let definitions = bundle()["definitions"].as_object();
            definitions
                .into_iter()
                .flatten()
                .map(|(name, definition)| (name.clone(), plan_for(definition)))
                .collect()
        })
        .get(name)?
        .as_ref()
}

fn plan_for(definition: &'static Value) -> Option<Plan> {
    let object = definition.as_object()?;
    if object.get("type")? != "object"
        || object
            .keys()
            .any(|k| !SEPARABLE_KEYWORDS.contains(&k.as_str()))
    {
        return None;
    }
    let mut arrays = BTreeMap::new();
    for (property, property_schema) in object.get("properties")?.as_object()? {
        let Some(fields) = property_schema.as_object() else {
            continue;
        };
        let only_items = fields
            .keys()
            .all(|k| matches!(k.as_str(), "type" | "items" | "description" | "title"));
        let item_name = fields
            .get("items")
            .and_then(|items| items.get("$ref"))
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix("#/definitions/"));
        if let (true, Some("array"), Some(item_name)) = (
            only_items,
            fields.get("type").and_then(Value::as_str),
            item_name,
        ) {
            if fields["items"]
                .as_object()
                .is_some_and(|items| items.len() == 1)
            {
                arrays.insert(property.clone(), item_name);
            }
        }
    }
    (!arrays.is_empty()).then_some(Plan { arrays })
}

/// A batch of items, as text, with the schema they must follow.
type Batch<'a> = (SchemaValidator, Vec<&'a RawValue>);

/// `Some(true)` when `bytes` is surely a valid document of `validator`'s
/// schema; `None` when this path cannot tell (the caller checks the whole
/// document instead).
pub(crate) fn is_surely_valid(bytes: &[u8], validator: SchemaValidator) -> Option<bool> {
    let plan = plan(validator.schema_name())?;
    let arrays = plan
        .arrays
        .iter()
        .map(|(property, items)| Some((property.as_str(), schema(items).ok()?)))
        .collect::<Option<BTreeMap<&str, SchemaValidator>>>()?;
    let items_valid = AtomicBool::new(true);
    let workers = crate::parallel::default_jobs();
    let (sender, receiver) = sync_channel::<Batch<'_>>(2 * workers);
    let receiver = Mutex::new(receiver);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (receiver, items_valid) = (&receiver, &items_valid);
            scope.spawn(move || check_items(receiver, items_valid));
        }
        let mut parser = serde_json::Deserializer::from_slice(bytes);
        let envelope = EnvelopeSeed {
            arrays: &arrays,
            sender: &sender,
        }
        .deserialize(&mut parser)
        .and_then(|envelope| parser.end().map(|()| envelope));
        drop(sender);
        let envelope = envelope.ok()?;
        Some(validator.is_valid(&Value::Object(envelope)))
    })
    .filter(|&envelope_valid| envelope_valid && items_valid.load(Ordering::Relaxed))
}

/// A worker: parses, checks and frees items until the batches run out.
fn check_items(receiver: &Mutex<Receiver<Batch<'_>>>, valid: &AtomicBool) {
    loop {
        let batch = receiver.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok((item_validator, items)) = batch else {
            return;
        };
        if !valid.load(Ordering::Relaxed) {
            continue;
        }
        let all_valid = items.iter().all(|item| {
            serde_json::from_str::<Value>(item.get())
                .is_ok_and(|value| item_validator.is_valid(&value))
        });
        if !all_valid {
            valid.store(false, Ordering::Relaxed);
        }
    }
}

const BATCH: usize = 64;

/// The top-level object, with each planned array left empty (its items went
/// to the workers).
struct EnvelopeSeed<'a, 'de> {
    /// Each array property, and the validator of its items.
    arrays: &'a BTreeMap<&'a str, SchemaValidator>,
    sender: &'a SyncSender<Batch<'de>>,
}

impl<'a, 'de> DeserializeSeed<'de> for EnvelopeSeed<'a, 'de> {
    type Value = Map<String, Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'a, 'de> Visitor<'de> for EnvelopeSeed<'a, 'de> {
    type Value = Map<String, Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut envelope = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = match self.arrays.get(key.as_str()) {
                Some(item_validator) => {
                    map.next_value_seed(ItemsSeed {
                        validator: *item_validator,
                        sender: self.sender,
                    })?;
                    Value::Array(Vec::new())
                }
                None => map.next_value()?,
            };
            envelope.insert(key, value);
        }
        Ok(envelope)
    }
}

/// An array whose items are sent, as text, in batches, to the workers.
struct ItemsSeed<'a, 'de> {
    validator: SchemaValidator,
    sender: &'a SyncSender<Batch<'de>>,
}

impl<'a, 'de> DeserializeSeed<'de> for ItemsSeed<'a, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'a, 'de> Visitor<'de> for ItemsSeed<'a, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let stopped = || serde::de::Error::custom("the workers stopped");
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(item) = seq.next_element::<&'de RawValue>()? {
            batch.push(item);
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                self.sender
                    .send((self.validator, full))
                    .map_err(|_| stopped())?;
            }
        }
        if !batch.is_empty() {
            self.sender
                .send((self.validator, batch))
                .map_err(|_| stopped())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str) -> Value {
        serde_json::json!({"id": id, "type": "reply", "created_at": "2018-11-20T16:58:36.453+00:00"})
    }

    #[test]
    fn the_export_and_the_lists_split_on_their_arrays() {
        let export = plan("SideConversationEventExportResponse").unwrap();
        assert_eq!(export.arrays.keys().collect::<Vec<_>>(), ["events"]);
        assert!(
            plan("SideConversationEvent").is_none(),
            "no array of items of its own"
        );
    }

    #[test]
    fn a_valid_document_is_valid_and_anything_else_is_left_to_the_whole_document_path() {
        let validator = crate::schema("SideConversationEventExportResponse").unwrap();
        let document = |events: Value| {
            serde_json::to_vec(
                &serde_json::json!({"events": events, "end_of_stream": true, "end_time": 1}),
            )
            .unwrap()
        };
        let valid = document(Value::Array(
            (0..200).map(|n| event(&n.to_string())).collect(),
        ));
        assert_eq!(is_surely_valid(&valid, validator), Some(true));
        assert!(validator.is_valid(&serde_json::from_slice(&valid).unwrap()));

        let mut items: Vec<Value> = (0..200).map(|n| event(&n.to_string())).collect();
        items[150]["ticket_id"] = Value::String("not a number".into());
        assert_eq!(
            is_surely_valid(&document(Value::Array(items)), validator),
            None
        );

        let envelope_broken =
            serde_json::to_vec(&serde_json::json!({"events": [], "end_of_stream": "yes"})).unwrap();
        assert_eq!(is_surely_valid(&envelope_broken, validator), None);
        assert_eq!(is_surely_valid(&document(Value::Null), validator), None);
        assert_eq!(is_surely_valid(b"{\"events\": [", validator), None);
        assert_eq!(is_surely_valid(b"[1, 2]", validator), None);
        assert_eq!(is_surely_valid(b"{} trailing", validator), None);
    }
}
