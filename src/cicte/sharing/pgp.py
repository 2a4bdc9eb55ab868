"""A minimal reader of armoured OpenPGP public keys (RFC 4880 / RFC 9580): enough to show the
directory's fingerprint, user id, expiry and whether the key can encrypt. Pure: no models.

No OpenPGP library is in the project's dependencies (``pgpy`` is unmaintained and fails on
current Python), so this reads the packets itself: the armour (with its CRC-24), public-key
and public-subkey packets (versions 4, 5 and 6), user ids and the hashed subpackets of the
self-signatures (key expiration time, key flags, revocations). It does **not** verify
signatures: the directory shows what an organisation pasted, and the fingerprint is computed
from the key material, so a reader compares it out of band as usual.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

#: Public-key algorithms that can encrypt (RSA, RSA encrypt-only, Elgamal, ECDH, X25519, X448).
ENCRYPTING_ALGORITHMS = frozenset({1, 2, 16, 18, 25, 26})
#: Key flags: encrypt communications, encrypt storage.
ENCRYPT_FLAGS = 0x04 | 0x08

_ARMOUR = re.compile(
    r"-----BEGIN PGP PUBLIC KEY BLOCK-----(?P<body>.*?)-----END PGP PUBLIC KEY BLOCK-----",
    re.DOTALL,
)


class KeyError_(ValueError):
    """The text is not an armoured OpenPGP public key (the message says why)."""


@dataclass
class _Key:
    version: int
    created: dt.datetime
    algorithm: int
    fingerprint: str
    expires_after: int | None = None  # seconds after creation (None: never)
    flags: int | None = None  # None: no key-flags subpacket
    revoked: bool = False
    signed_at: dt.datetime | None = None

    def expires(self) -> dt.datetime | None:
        if not self.expires_after:
            return None
        return self.created + dt.timedelta(seconds=self.expires_after)

    def usable_at(self, when: dt.datetime) -> bool:
        expires = self.expires()
        return not self.revoked and (expires is None or expires > when)

    def encrypts(self) -> bool:
        if self.algorithm not in ENCRYPTING_ALGORITHMS:
            return False
        return self.flags is None or bool(self.flags & ENCRYPT_FLAGS)


@dataclass(frozen=True)
class PublicKey:
    """What the directory shows of a key."""

    fingerprint: str  # upper-case hex, 40 (v4) or 64 (v5, v6) characters
    user_id: str
    created: dt.date
    expires: dt.date | None
    revoked: bool
    subkeys: tuple[str, ...] = field(default=())
    _keys: tuple[_Key, ...] = field(default=(), repr=False, compare=False)

    def can_encrypt(self, when: dt.datetime | None = None) -> bool:
        """Whether the key (or a subkey) can encrypt at ``when`` (now by default)."""
        when = when or dt.datetime.now(dt.UTC)
        primary = self._keys[0]
        if not primary.usable_at(when):
            return False
        return any(k.encrypts() and k.usable_at(when) for k in self._keys)

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires <= today


def dearmour(text: str) -> bytes:
    """The binary key of an armoured block (its CRC-24 checked when present)."""
    match = _ARMOUR.search(text or "")
    if match is None:
        raise KeyError_("Paste an armoured public key (-----BEGIN PGP PUBLIC KEY BLOCK-----).")
    lines = [line.strip() for line in match.group("body").strip().splitlines()]
    # Armour headers (Version:, Comment:) end at the first blank line.
    if any(":" in line for line in lines[:1]) and "" in lines:
        lines = lines[lines.index("") + 1 :]
    checksum = None
    if lines and lines[-1].startswith("="):
        checksum = lines.pop()[1:]
    try:
        data = base64.b64decode("".join(lines), validate=True)
    except (binascii.Error, ValueError):
        raise KeyError_("The key is not valid base64.") from None
    if checksum:
        try:
            expected = int.from_bytes(base64.b64decode(checksum), "big")
        except (binascii.Error, ValueError):
            raise KeyError_("The key's checksum is not valid.") from None
        if _crc24(data) != expected:
            raise KeyError_("The key's checksum does not match: it was damaged.")
    if not data:
        raise KeyError_("The key is empty.")
    return data


def _crc24(data: bytes) -> int:
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def packets(data: bytes) -> list[tuple[int, bytes]]:
    """(tag, body) of each packet."""
    found = []
    i = 0
    while i < len(data):
        header = data[i]
        if not header & 0x80:
            raise KeyError_("The key's packets are damaged.")
        if header & 0x40:  # new format
            tag = header & 0x3F
            i += 1
            length, i = _new_length(data, i)
        else:
            tag = (header >> 2) & 0x0F
            kind = header & 0x03
            i += 1
            if kind == 3:
                length = len(data) - i
            else:
                size = (1, 2, 4)[kind]
                length = int.from_bytes(data[i : i + size], "big")
                i += size
        body = data[i : i + length]
        if len(body) != length:
            raise KeyError_("The key is truncated.")
        found.append((tag, body))
        i += length
    return found


def _new_length(data: bytes, i: int) -> tuple[int, int]:
    if i >= len(data):
        raise KeyError_("The key is truncated.")
    first = data[i]
    if first < 192:
        return first, i + 1
    if first < 224:
        if i + 1 >= len(data):
            raise KeyError_("The key is truncated.")
        return ((first - 192) << 8) + data[i + 1] + 192, i + 2
    if first == 255:
        return int.from_bytes(data[i + 1 : i + 5], "big"), i + 5
    raise KeyError_("Partial packet lengths are not allowed in a key.")


def _key(body: bytes) -> _Key:
    if len(body) < 6:
        raise KeyError_("A key packet is too short.")
    version = body[0]
    created = dt.datetime.fromtimestamp(int.from_bytes(body[1:5], "big"), dt.UTC)
    algorithm = body[5]
    if version == 4:
        digest = hashlib.sha1(b"\x99" + len(body).to_bytes(2, "big") + body).hexdigest()  # noqa: S324
    elif version == 5:
        digest = hashlib.sha256(b"\x9a" + len(body).to_bytes(4, "big") + body).hexdigest()
    elif version == 6:
        digest = hashlib.sha256(b"\x9b" + len(body).to_bytes(4, "big") + body).hexdigest()
    else:
        raise KeyError_(f"OpenPGP key version {version} is not supported.")
    return _Key(version, created, algorithm, digest.upper())


def _subpackets(data: bytes) -> list[tuple[int, bytes]]:
    found = []
    i = 0
    while i < len(data):
        first = data[i]
        if first < 192:
            length, i = first, i + 1
        elif first < 255:
            length, i = ((first - 192) << 8) + data[i + 1] + 192, i + 2
        else:
            length, i = int.from_bytes(data[i + 1 : i + 5], "big"), i + 5
        if length < 1 or i + length > len(data):
            break
        found.append((data[i] & 0x7F, data[i + 1 : i + length]))
        i += length
    return found


def _signature(body: bytes) -> tuple[int, list[tuple[int, bytes]]] | None:
    """(signature type, hashed subpackets) of a v4/v5/v6 signature; None for older ones."""
    if not body or body[0] not in {4, 5, 6}:
        return None
    version, kind = body[0], body[1]
    if version == 4:
        size = int.from_bytes(body[4:6], "big")
        hashed = body[6 : 6 + size]
    else:
        size = int.from_bytes(body[4:8], "big")
        hashed = body[8 : 8 + size]
    return kind, _subpackets(hashed)


def parse(text: str) -> PublicKey:
    """Read an armoured public key; :class:`KeyError_` when it is not one."""
    keys: list[_Key] = []
    user_ids: list[str] = []
    primary_uid = ""
    current: _Key | None = None
    for tag, body in packets(dearmour(text)):
        if tag == 6:
            if keys:
                break  # a second key: only the first is read
            current = _key(body)
            keys.append(current)
        elif tag == 14 and keys:
            current = _key(body)
            keys.append(current)
        elif tag == 13 and keys:
            user_ids.append(body.decode("utf-8", "replace"))
            current = keys[0]
        elif tag == 2 and current is not None:
            signature = _signature(body)
            if signature is None:
                continue
            kind, subpackets = signature
            _apply(current, kind, subpackets, user_ids, keys)
            if kind in {0x10, 0x11, 0x12, 0x13} and any(
                t == 25 and d[:1] == b"\x01" for t, d in subpackets
            ):
                primary_uid = user_ids[-1] if user_ids else ""
    if not keys:
        raise KeyError_("The block holds no public key.")
    primary = keys[0]
    expires = primary.expires()
    return PublicKey(
        fingerprint=primary.fingerprint,
        user_id=(primary_uid or (user_ids[0] if user_ids else ""))[:200],
        created=primary.created.date(),
        expires=expires.date() if expires else None,
        revoked=primary.revoked,
        subkeys=tuple(k.fingerprint for k in keys[1:]),
        _keys=tuple(keys),
    )


def _apply(
    key: _Key,
    kind: int,
    subpackets: list[tuple[int, bytes]],
    user_ids: list[str],
    keys: list[_Key],
) -> None:
    """Take expiry and flags from the newest self-signature of ``key``."""
    if kind in {0x20, 0x28}:  # key / subkey revocation
        key.revoked = True
        return
    certifies = kind in {0x10, 0x11, 0x12, 0x13, 0x1F} and key is keys[0]
    binds = kind == 0x18 and key is not keys[0]
    if not (certifies or binds):
        return
    values = dict(subpackets)
    signed_at = None
    if 2 in values and len(values[2]) == 4:
        signed_at = dt.datetime.fromtimestamp(int.from_bytes(values[2], "big"), dt.UTC)
    if key.signed_at is not None and signed_at is not None and signed_at < key.signed_at:
        return  # an older self-signature
    key.signed_at = signed_at
    key.expires_after = int.from_bytes(values[9], "big") if 9 in values else None
    key.flags = values[27][0] if values.get(27) else None
