//! A serde serializer that feeds a hasher instead of building text: the cheap way to ask
//! whether a view is what it was last time. Strings are hashed as they are (length first), not
//! escaped as JSON would, so a page's HTML costs one pass of the hash function.

use std::hash::Hasher;

use serde::ser::{self, Serialize};
use xxhash_rust::xxh3::Xxh3;

/// Feeds `value` to `hasher`. Two values with the same serialized form hash alike; a
/// different form (a changed string, a missing field, a reordered list) hashes otherwise.
pub(crate) fn hash_into(hasher: &mut Xxh3, value: &(impl Serialize + ?Sized)) {
    // Serializing into a hasher cannot fail.
    let _ = value.serialize(&mut HashSerializer(hasher));
}

struct HashSerializer<'a>(&'a mut Xxh3);

#[derive(Debug)]
struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Never
    }
}

impl HashSerializer<'_> {
    fn tag(&mut self, tag: u8) {
        self.0.write_u8(tag);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.0.write_u64(bytes.len() as u64);
        self.0.update(bytes);
    }
}

type Done = Result<(), Never>;

impl<'b, 'a> ser::Serializer for &'b mut HashSerializer<'a> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Done {
        self.tag(if v { b'T' } else { b'F' });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Done {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Done {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Done {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Done {
        self.tag(b'i');
        self.0.write_i64(v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Done {
        self.tag(b'I');
        self.0.write_i128(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Done {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Done {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Done {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Done {
        self.tag(b'u');
        self.0.write_u64(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Done {
        self.tag(b'U');
        self.0.write_u128(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Done {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Done {
        self.tag(b'f');
        self.0.write_u64(v.to_bits());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Done {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Done {
        self.tag(b's');
        self.bytes(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        self.tag(b'b');
        self.bytes(v);
        Ok(())
    }
    fn serialize_none(self) -> Done {
        self.tag(b'N');
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        self.tag(b'S');
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.tag(b'0');
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Done {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, index: u32, _: &'static str) -> Done {
        self.tag(b'v');
        self.0.write_u32(index);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Done {
        self.tag(b'V');
        self.0.write_u32(index);
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Never> {
        self.tag(b'[');
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Never> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.tag(b'V');
        self.0.write_u32(index);
        self.serialize_seq(None)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Never> {
        self.tag(b'{');
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.tag(b'V');
        self.0.write_u32(index);
        self.serialize_map(None)
    }
}

/// Every compound ends with a closing tag, so `[[a], b]` and `[[a, b]]` differ.
macro_rules! compound {
    ($trait:ident, $method:ident $(, $key:ident)?) => {
        impl ser::$trait for &mut HashSerializer<'_> {
            type Ok = ();
            type Error = Never;
            fn $method<T: Serialize + ?Sized>(&mut self, $($key: &'static str,)? value: &T) -> Done {
                $(self.bytes($key.as_bytes());)?
                value.serialize(&mut **self)
            }
            fn end(self) -> Done {
                self.tag(b'.');
                Ok(())
            }
        }
    };
}

compound!(SerializeSeq, serialize_element);
compound!(SerializeTuple, serialize_element);
compound!(SerializeTupleStruct, serialize_field);
compound!(SerializeTupleVariant, serialize_field);
compound!(SerializeStruct, serialize_field, key);
compound!(SerializeStructVariant, serialize_field, key);

impl ser::SerializeMap for &mut HashSerializer<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        self.tag(b'.');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(value: &impl Serialize) -> u64 {
        let mut hasher = Xxh3::new();
        hash_into(&mut hasher, value);
        hasher.digest()
    }

    #[test]
    fn equal_forms_hash_alike_and_others_do_not() {
        assert_eq!(hash(&("tin", vec![1, 2])), hash(&("tin", vec![1, 2])));
        assert_ne!(hash(&vec![vec!["a"], vec!["b"]]), hash(&vec![vec!["a", "b"]]));
        assert_ne!(hash(&("ab", "c")), hash(&("a", "bc")));
        assert_ne!(hash(&Some(0u8)), hash(&None::<u8>));
        assert_ne!(hash(&"Đắk Nông"), hash(&"Dak Nong"));
    }
}
