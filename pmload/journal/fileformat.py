"""The encrypted journal file format (``journal.pmj``), version 1.

Everything the user writes (dates, scores, kinds, notes, peers, check-ins,
reviews) is inside the encrypted body; the only thing visible on disk is the
file's size, and the body is padded to a multiple of 4 KiB so even that says
little. All integers are unsigned big-endian.

    offset size  field
       0     8   magic  b"\\x89PMJ\\r\\n\\x1a\\n" (catches text-mode transfers)
       8     2   format version, 1
      10     1   KDF id: 1 = scrypt, 2 = Argon2id
      11     1   cipher id: 1 = AES-256-GCM
      12     4   KDF parameter a: scrypt n (power of two) | Argon2id memory KiB
      16     4   KDF parameter b: scrypt r                | Argon2id iterations
      20     4   KDF parameter c: scrypt p                | Argon2id lanes
      24    16   salt (random, new for every passphrase)
      40    12   wrap nonce (random)
      52    48   data key (32 random bytes) sealed with AES-256-GCM under the
                 key derived from the passphrase; associated data = bytes 0..52
     100    12   body nonce (random, new for every write)
     112     n   body sealed with AES-256-GCM under the data key;
                 associated data = bytes 0..112 (the whole header)
   112+n    32   SHA-256 of all preceding bytes

Body plaintext: a 4-byte length L, then L bytes of zlib-compressed UTF-8 JSON
(see :mod:`pmload.journal.records`), then zero padding.

The SHA-256 trailer is not a security measure (the AEAD tags are): it tells a
damaged or truncated file apart from a wrong passphrase. Changing the
passphrase draws a new data key as well as a new salt and re-seals the whole
body under it, so the old passphrase together with an older copy of the file
(an export, a cloud backup) unwraps only the old key, which opens nothing
written since. ``cryptography`` is imported lazily so that the command line
starts fast.

Default KDF: Argon2id with m=64 MiB, t=3, p=4 (the second recommended option
of RFC 9106; about 0.2 s on a laptop), where the installed ``cryptography``
(44 or later, with OpenSSL 3.2+) supports it; otherwise scrypt n=2**17, r=8,
p=1 (128 MiB, about 0.5 s; the OWASP minimum for scrypt). Both are well
under the one-second unlock budget. Readers accept parameters up to
``MAX_*`` (memory 256 MiB for either KDF; Argon2id t <= 10, p <= 8; scrypt
n <= 2**18, r <= 16, p <= 4, n*r*p <= 2**22: a few seconds at worst) so that
stronger files still open, and refuse anything costlier before deriving a
single byte: a crafted header must not be able to cost minutes and
gigabytes before the passphrase is even checked.
"""

from __future__ import annotations

import functools
import hashlib
import os
import struct
import zlib
from dataclasses import dataclass

from pmload.journal.errors import (
    JournalDamaged,
    JournalError,
    KdfTooExpensive,
    PassphraseNotText,
    WrongPassphrase,
)

MAGIC = b"\x89PMJ\r\n\x1a\n"
VERSION = 1
KDF_SCRYPT = 1
KDF_ARGON2ID = 2
CIPHER_AES256GCM = 1

_PREFIX = struct.Struct(">8sHBBIII16s12s")  # bytes 0..52, associated data of the key wrap
WRAPPED_LEN = 32 + 16
HEADER_LEN = _PREFIX.size + WRAPPED_LEN + 12  # 112
DIGEST_LEN = 32
MIN_FILE_LEN = HEADER_LEN + 16 + DIGEST_LEN
PAD_TO = 4096
# What a header may ask for: well above the defaults (a few seconds at most on a
# laptop), far below what would let a crafted file cost minutes and gigabytes.
MAX_KDF_MEMORY = 256 * 2**20  # bytes, for either KDF
MAX_ARGON2_ITERATIONS = 10
MAX_ARGON2_LANES = 8
MAX_SCRYPT_N = 2**18
MAX_SCRYPT_R = 16
MAX_SCRYPT_P = 4
MAX_SCRYPT_WORK = 2**22  # n * r * p: four times the default


@dataclass(frozen=True, slots=True)
class KdfParams:
    """How the passphrase becomes a key: ``kind`` is KDF_SCRYPT or KDF_ARGON2ID."""

    kind: int
    a: int
    b: int
    c: int

    @staticmethod
    def scrypt(n: int = 2**17, r: int = 8, p: int = 1) -> KdfParams:
        return KdfParams(KDF_SCRYPT, n, r, p)

    @staticmethod
    def argon2id(memory_kib: int = 65536, iterations: int = 3, lanes: int = 4) -> KdfParams:
        return KdfParams(KDF_ARGON2ID, memory_kib, iterations, lanes)

    def describe(self) -> str:
        if self.kind == KDF_SCRYPT:
            return f"scrypt n=2**{self.a.bit_length() - 1}, r={self.b}, p={self.c}"
        return f"Argon2id m={self.a} KiB, t={self.b}, p={self.c}"


ARGON2ID_DEFAULT = KdfParams.argon2id()
SCRYPT_DEFAULT = KdfParams.scrypt()
# None = Argon2id where supported, else scrypt. Tests (only) set a cheap KdfParams here.
DEFAULT_KDF: KdfParams | None = None


@functools.cache
def argon2id_supported() -> bool:
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        Argon2id(salt=bytes(16), length=32, iterations=1, lanes=1, memory_cost=8).derive(b"x")
    except Exception:  # ImportError, UnsupportedAlgorithm
        return False
    return True


def default_kdf() -> KdfParams:
    """The KDF for new passphrases."""
    if DEFAULT_KDF is not None:
        return DEFAULT_KDF
    return ARGON2ID_DEFAULT if argon2id_supported() else SCRYPT_DEFAULT


@dataclass(frozen=True, slots=True)
class Header:
    """The parsed header of a journal file."""

    kdf: KdfParams
    salt: bytes
    wrap_nonce: bytes
    wrapped_key: bytes
    body_nonce: bytes

    def prefix(self) -> bytes:
        k = self.kdf
        return _PREFIX.pack(
            MAGIC, VERSION, k.kind, CIPHER_AES256GCM, k.a, k.b, k.c, self.salt, self.wrap_nonce
        )

    def pack(self) -> bytes:
        return self.prefix() + self.wrapped_key + self.body_nonce


def _check_kdf(k: KdfParams) -> None:
    """Refuse malformed parameters, and costly ones before a single byte is derived."""
    if k.kind == KDF_SCRYPT:
        valid = k.a >= 2 and k.a & (k.a - 1) == 0 and k.b >= 1 and k.c >= 1
        cheap = (
            k.a <= MAX_SCRYPT_N
            and k.b <= MAX_SCRYPT_R
            and k.c <= MAX_SCRYPT_P
            and 128 * k.a * k.b <= MAX_KDF_MEMORY
            and k.a * k.b * k.c <= MAX_SCRYPT_WORK
        )
    elif k.kind == KDF_ARGON2ID:
        valid = k.b >= 1 and k.c >= 1 and k.a >= 8 * k.c
        cheap = (
            k.a * 1024 <= MAX_KDF_MEMORY
            and k.b <= MAX_ARGON2_ITERATIONS
            and k.c <= MAX_ARGON2_LANES
        )
    else:
        valid = cheap = False
    if not valid:
        raise JournalDamaged("The journal's key-derivation settings are invalid or unsupported.")
    if not cheap:
        raise KdfTooExpensive(
            "This journal file asks for unusually expensive key derivation; "
            "it was not made by pmload."
        )


def derive_key(passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
    """The 32-byte key-encryption key for ``passphrase`` (slow on purpose)."""
    _check_kdf(kdf)
    try:
        secret = passphrase.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: bytes that were not text
        raise PassphraseNotText("The passphrase is not valid UTF-8 text.") from None
    if kdf.kind == KDF_SCRYPT:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        return Scrypt(salt=salt, length=32, n=kdf.a, r=kdf.b, p=kdf.c).derive(secret)
    if not argon2id_supported():
        raise JournalError(
            "This journal is protected with Argon2id, which the installed cryptography "
            "library does not support; install cryptography 44 or later."
        )
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    return Argon2id(salt=salt, length=32, iterations=kdf.b, lanes=kdf.c, memory_cost=kdf.a).derive(
        secret
    )


def new_data_key() -> bytes:
    return os.urandom(32)


def wrap_key(passphrase: str, data_key: bytes, kdf: KdfParams) -> Header:
    """A fresh header (new salt, nonces) whose wrapped key opens with ``passphrase``."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, wrap_nonce = os.urandom(16), os.urandom(12)
    partial = Header(kdf=kdf, salt=salt, wrap_nonce=wrap_nonce, wrapped_key=b"", body_nonce=b"")
    kek = derive_key(passphrase, salt, kdf)
    wrapped = AESGCM(kek).encrypt(wrap_nonce, data_key, partial.prefix())
    return Header(kdf=kdf, salt=salt, wrap_nonce=wrap_nonce, wrapped_key=wrapped, body_nonce=b"")


def parse(blob: bytes) -> tuple[Header, bytes]:
    """Check the framing and the integrity digest; return the header and the sealed body."""
    if len(blob) < _PREFIX.size or not blob.startswith(MAGIC):
        raise JournalDamaged("The file is not a pmload journal or its header is damaged.")
    _magic, version, kind, cipher, a, b, c, salt, wrap_nonce = _PREFIX.unpack_from(blob)
    if version != VERSION or cipher != CIPHER_AES256GCM:
        raise JournalDamaged(
            f"The journal uses format {version}, which this version of pmload cannot read."
        )
    if len(blob) < MIN_FILE_LEN:
        raise JournalDamaged("The journal file is truncated.")
    body_end = len(blob) - DIGEST_LEN
    if hashlib.sha256(blob[:body_end]).digest() != blob[body_end:]:
        raise JournalDamaged(
            "The journal file is damaged or truncated (its checksum does not match)."
        )
    kdf = KdfParams(kind, a, b, c)
    _check_kdf(kdf)
    wrapped = blob[_PREFIX.size : _PREFIX.size + WRAPPED_LEN]
    body_nonce = blob[_PREFIX.size + WRAPPED_LEN : HEADER_LEN]
    return Header(
        kdf=kdf, salt=salt, wrap_nonce=wrap_nonce, wrapped_key=wrapped, body_nonce=body_nonce
    ), blob[HEADER_LEN:body_end]


def unwrap_key(header: Header, passphrase: str) -> bytes:
    """The data key, or WrongPassphrase."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kek = derive_key(passphrase, header.salt, header.kdf)
    try:
        return AESGCM(kek).decrypt(header.wrap_nonce, header.wrapped_key, header.prefix())
    except InvalidTag:
        raise WrongPassphrase("That passphrase does not open this journal.") from None


def open_body(header: Header, sealed: bytes, data_key: bytes) -> bytes:
    """The JSON bytes of the body; JournalDamaged when it does not authenticate."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        padded = AESGCM(data_key).decrypt(header.body_nonce, sealed, header.pack())
    except InvalidTag:
        raise JournalDamaged("The journal's contents fail authentication (altered file).") from None
    (length,) = struct.unpack_from(">I", padded)
    try:
        return zlib.decompress(padded[4 : 4 + length])
    except zlib.error:
        raise JournalDamaged("The journal's contents cannot be decompressed.") from None


def seal(header: Header, data_key: bytes, plaintext: bytes) -> bytes:
    """The complete file: header with a fresh body nonce, sealed body, digest."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    packed = zlib.compress(plaintext, 6)
    body = struct.pack(">I", len(packed)) + packed
    body += bytes(-(len(body) + 16 + HEADER_LEN + DIGEST_LEN) % PAD_TO)
    fresh = Header(
        kdf=header.kdf,
        salt=header.salt,
        wrap_nonce=header.wrap_nonce,
        wrapped_key=header.wrapped_key,
        body_nonce=os.urandom(12),
    )
    head = fresh.pack()
    out = head + AESGCM(data_key).encrypt(fresh.body_nonce, body, head)
    return out + hashlib.sha256(out).digest()


def looks_intact(blob: bytes) -> bool:
    """True when ``blob`` passes the framing and checksum (without any passphrase)."""
    try:
        parse(blob)
    except JournalDamaged:
        return False
    return True
