//! The userbuf of a PrivateMapKey: a binary room permission.

use std::fmt;
use std::ops::{BitAnd, BitOr, BitOrAssign, Not};

/// What a PrivateMapKey allows in its room (`dwPrivilegeMap`).
///
/// Bit meanings are those of Tencent's official libraries; bits this crate
/// does not name are kept (see [`Privileges::from_bits_retain`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Privileges(u32);

impl Privileges {
    /// No privilege.
    pub const NONE: Privileges = Privileges(0);
    /// Create the room (bit 0, `1`).
    pub const CREATE_ROOM: Privileges = Privileges(1);
    /// Enter the room (bit 1, `2`).
    pub const ENTER_ROOM: Privileges = Privileges(1 << 1);
    /// Send audio (bit 2, `4`).
    pub const SEND_AUDIO: Privileges = Privileges(1 << 2);
    /// Receive audio (bit 3, `8`).
    pub const RECV_AUDIO: Privileges = Privileges(1 << 3);
    /// Send video (bit 4, `16`).
    pub const SEND_VIDEO: Privileges = Privileges(1 << 4);
    /// Receive video (bit 5, `32`).
    pub const RECV_VIDEO: Privileges = Privileges(1 << 5);
    /// Send the sub-stream (auxiliary video, i.e. screen sharing) (bit 6, `64`).
    pub const SEND_SUB_STREAM: Privileges = Privileges(1 << 6);
    /// Receive the sub-stream (bit 7, `128`).
    pub const RECV_SUB_STREAM: Privileges = Privileges(1 << 7);
    /// All eight named privileges (`255`).
    pub const ALL: Privileges = Privileges(0xff);

    const NAMES: [(Privileges, &'static str); 8] = [
        (Privileges::CREATE_ROOM, "CREATE_ROOM"),
        (Privileges::ENTER_ROOM, "ENTER_ROOM"),
        (Privileges::SEND_AUDIO, "SEND_AUDIO"),
        (Privileges::RECV_AUDIO, "RECV_AUDIO"),
        (Privileges::SEND_VIDEO, "SEND_VIDEO"),
        (Privileges::RECV_VIDEO, "RECV_VIDEO"),
        (Privileges::SEND_SUB_STREAM, "SEND_SUB_STREAM"),
        (Privileges::RECV_SUB_STREAM, "RECV_SUB_STREAM"),
    ];

    /// The privileges of a wire value, keeping bits this crate does not name.
    pub const fn from_bits_retain(bits: u32) -> Privileges {
        Privileges(bits)
    }

    /// The wire value.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Whether every privilege of `other` is in `self`.
    pub const fn contains(self, other: Privileges) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether there is no privilege at all.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl BitOr for Privileges {
    type Output = Privileges;
    fn bitor(self, rhs: Privileges) -> Privileges {
        Privileges(self.0 | rhs.0)
    }
}

impl BitOrAssign for Privileges {
    fn bitor_assign(&mut self, rhs: Privileges) {
        self.0 |= rhs.0;
    }
}

impl BitAnd for Privileges {
    type Output = Privileges;
    fn bitand(self, rhs: Privileges) -> Privileges {
        Privileges(self.0 & rhs.0)
    }
}

impl Not for Privileges {
    type Output = Privileges;
    fn not(self) -> Privileges {
        Privileges(!self.0)
    }
}

impl fmt::Debug for Privileges {
    /// `Privileges(ENTER_ROOM | RECV_AUDIO | 0x100)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Privileges(")?;
        let mut rest = self.0;
        let mut first = true;
        for (p, name) in Privileges::NAMES {
            if self.contains(p) {
                if !first {
                    f.write_str(" | ")?;
                }
                f.write_str(name)?;
                first = false;
                rest &= !p.0;
            }
        }
        if rest != 0 || first {
            if !first {
                f.write_str(" | ")?;
            }
            write!(f, "{rest:#x}")?;
        }
        f.write_str(")")
    }
}

/// The room a PrivateMapKey is for: TRTC rooms are numbered or named.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RoomId {
    /// A numeric room ID (`roomId` on the client; 1 to 4294967294).
    Number(u32),
    /// A string room ID (`strRoomId` on the client).
    String(String),
}

impl From<u32> for RoomId {
    fn from(n: u32) -> RoomId {
        RoomId::Number(n)
    }
}

impl From<&str> for RoomId {
    fn from(s: &str) -> RoomId {
        RoomId::String(s.to_owned())
    }
}

impl From<String> for RoomId {
    fn from(s: String) -> RoomId {
        RoomId::String(s)
    }
}

impl fmt::Display for RoomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoomId::Number(n) => write!(f, "{n}"),
            RoomId::String(s) => write!(f, "{s:?}"),
        }
    }
}

/// The userbuf of a PrivateMapKey, as the official libraries lay it out
/// (integers big-endian):
///
/// | bytes | field |
/// |---|---|
/// | 1 | version: 0 numeric room, 1 string room |
/// | 2 + n | UserId length, UserId (UTF-8) |
/// | 4 | SdkAppId |
/// | 4 | numeric room ID (0 for a string room) |
/// | 4 | expiry, absolute Unix seconds (issue time + validity) |
/// | 4 | privileges |
/// | 4 | account type (0) |
/// | 2 + m | string room ID length, string room ID (version 1 only) |
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PrivateMapKeyBuf {
    /// The UserId.
    pub user_id: String,
    /// The SdkAppId.
    pub sdk_app_id: u32,
    /// The room.
    pub room: RoomId,
    /// When the permission expires (absolute Unix seconds).
    pub expires_at: u32,
    /// What the user may do in the room.
    pub privileges: Privileges,
    /// The account type (the official libraries always write 0).
    pub account_type: u32,
}

impl PrivateMapKeyBuf {
    /// A userbuf with account type 0.
    pub fn new(
        user_id: impl Into<String>,
        sdk_app_id: u32,
        room: impl Into<RoomId>,
        expires_at: u32,
        privileges: Privileges,
    ) -> PrivateMapKeyBuf {
        PrivateMapKeyBuf {
            user_id: user_id.into(),
            sdk_app_id,
            room: room.into(),
            expires_at,
            privileges,
            account_type: 0,
        }
    }

    /// The bytes, or which field does not fit.
    pub fn encode(&self) -> Result<Vec<u8>, BuildError> {
        let user = self.user_id.as_bytes();
        let user_len =
            u16::try_from(user.len()).map_err(|_| BuildError::UserIdTooLong { len: user.len() })?;
        let (version, number, name) = match &self.room {
            RoomId::Number(n) => (0u8, *n, None),
            RoomId::String(s) if s.is_empty() => return Err(BuildError::EmptyRoomId),
            RoomId::String(s) => {
                let len = u16::try_from(s.len())
                    .map_err(|_| BuildError::RoomIdTooLong { len: s.len() })?;
                (1u8, 0, Some((len, s.as_bytes())))
            }
        };
        let mut out = Vec::with_capacity(23 + user.len() + name.map_or(0, |(_, b)| 2 + b.len()));
        out.push(version);
        out.extend_from_slice(&user_len.to_be_bytes());
        out.extend_from_slice(user);
        for word in [
            self.sdk_app_id,
            number,
            self.expires_at,
            self.privileges.bits(),
            self.account_type,
        ] {
            out.extend_from_slice(&word.to_be_bytes());
        }
        if let Some((len, bytes)) = name {
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(bytes);
        }
        Ok(out)
    }

    /// Reads a userbuf, naming the field and offset of any problem.
    pub fn decode(bytes: &[u8]) -> Result<PrivateMapKeyBuf, UserbufError> {
        let mut r = Reader { bytes, offset: 0 };
        let version = r.take(1, "version")?[0];
        if version > 1 {
            return Err(UserbufError::UnknownVersion { version });
        }
        let user_len = r.u16("UserId length")?;
        let user_id = r.text(user_len.into(), "UserId")?;
        let sdk_app_id = r.u32("SdkAppId")?;
        let number = r.u32("room number")?;
        let expires_at = r.u32("expiry")?;
        let privileges = Privileges::from_bits_retain(r.u32("privileges")?);
        let account_type = r.u32("account type")?;
        let room = if version == 0 {
            RoomId::Number(number)
        } else {
            if number != 0 {
                return Err(UserbufError::RoomNumberInStringRoom { number });
            }
            let len = r.u16("room string length")?;
            RoomId::String(r.text(len.into(), "room string")?)
        };
        if r.offset != bytes.len() {
            return Err(UserbufError::TrailingBytes {
                count: bytes.len() - r.offset,
            });
        }
        Ok(PrivateMapKeyBuf {
            user_id,
            sdk_app_id,
            room,
            expires_at,
            privileges,
            account_type,
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], UserbufError> {
        let end = self
            .offset
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(UserbufError::Truncated {
                field,
                offset: self.offset,
            });
        };
        let s = &self.bytes[self.offset..end];
        self.offset = end;
        Ok(s)
    }

    fn u16(&mut self, field: &'static str) -> Result<u16, UserbufError> {
        let b = self.take(2, field)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self, field: &'static str) -> Result<u32, UserbufError> {
        let b = self.take(4, field)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn text(&mut self, n: usize, field: &'static str) -> Result<String, UserbufError> {
        let offset = self.offset;
        let b = self.take(n, field)?;
        String::from_utf8(b.to_vec()).map_err(|_| UserbufError::NotUtf8 { field, offset })
    }
}

/// Why a PrivateMapKey cannot be built with these values.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// The UserId is longer than 65535 bytes.
    UserIdTooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// The string room ID is longer than 65535 bytes.
    RoomIdTooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// The string room ID is empty.
    EmptyRoomId,
    /// The userbuf holds the SdkAppId in 32 bits.
    SdkAppIdTooLarge {
        /// The SdkAppId.
        sdk_app_id: u64,
    },
    /// The userbuf holds the absolute expiry in 32 bits (until 2106).
    ExpiryOutOfRange {
        /// Issue time plus validity.
        expires_at: u64,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::UserIdTooLong { len } => {
                write!(f, "UserId is {len} bytes, a PrivateMapKey holds at most 65535")
            }
            BuildError::RoomIdTooLong { len } => write!(
                f,
                "string room ID is {len} bytes, a PrivateMapKey holds at most 65535"
            ),
            BuildError::EmptyRoomId => f.write_str("string room ID is empty"),
            BuildError::SdkAppIdTooLarge { sdk_app_id } => write!(
                f,
                "SdkAppId {sdk_app_id} does not fit the 32 bits of a PrivateMapKey"
            ),
            BuildError::ExpiryOutOfRange { expires_at } => write!(
                f,
                "expiry {expires_at} (issue time + validity) does not fit the 32 bits of a PrivateMapKey"
            ),
        }
    }
}

impl std::error::Error for BuildError {}

/// Why bytes are not a PrivateMapKey userbuf.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UserbufError {
    /// The bytes end inside a field.
    Truncated {
        /// The field.
        field: &'static str,
        /// Where it starts.
        offset: usize,
    },
    /// The version byte is neither 0 (numeric room) nor 1 (string room).
    UnknownVersion {
        /// The byte.
        version: u8,
    },
    /// A text field is not UTF-8.
    NotUtf8 {
        /// The field.
        field: &'static str,
        /// Where it starts.
        offset: usize,
    },
    /// A string-room userbuf also carries a nonzero numeric room.
    RoomNumberInStringRoom {
        /// The number.
        number: u32,
    },
    /// Bytes follow the last field.
    TrailingBytes {
        /// How many.
        count: usize,
    },
}

impl fmt::Display for UserbufError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserbufError::Truncated { field, offset } => {
                write!(
                    f,
                    "truncated: the bytes end in the {field} at offset {offset}"
                )
            }
            UserbufError::UnknownVersion { version } => write!(
                f,
                "unknown version byte {version} (0 numeric room, 1 string room)"
            ),
            UserbufError::NotUtf8 { field, offset } => {
                write!(f, "the {field} at offset {offset} is not UTF-8")
            }
            UserbufError::RoomNumberInStringRoom { number } => write!(
                f,
                "a string-room userbuf carries the numeric room {number} (should be 0)"
            ),
            UserbufError::TrailingBytes { count } => {
                write!(f, "{count} bytes follow the last field")
            }
        }
    }
}

impl std::error::Error for UserbufError {}
