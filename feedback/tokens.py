"""The secrets of one-time links: a URL token and a short code to type, both random, neither stored.

- The token: `secrets.token_urlsafe(24)`, 192 bits (at least 128 are asked for), stored as its SHA-256. With that
  much randomness an unsalted hash cannot be reversed by guessing.
- The short code: 8 characters of 31 that cannot be mistaken for each other on paper (no 0/O, 1/I/L), about 40
  bits, typed as ABCD-EFGH. Forty bits could be guessed offline from a plain SHA-256 in a stolen database, so the
  code is
  stored as a keyed SHA-256 (HMAC with a key derived from SECRET_KEY); online guessing is held back by the rate
  limits and by how few codes are live at a time. (A new SECRET_KEY therefore voids the codes of slips already
  printed; their QR links still work.)
"""

from __future__ import annotations

import hashlib
import secrets

from django.utils.crypto import salted_hmac

TOKEN_BYTES = 24
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_SALT = "feedback.invitation.code"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_code(value: str) -> str | None:
    """The code as stored: upper case without spaces or dashes; None when it cannot be a code."""
    code = "".join(ch for ch in value.upper() if ch not in " -")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def code_hash(code: str) -> str:
    return salted_hmac(CODE_SALT, code, algorithm="sha256").hexdigest()


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def hashes_for_key(key: str) -> tuple[str | None, str | None]:
    """A key from a URL or typed in: (token hash, code hash), either None when the key cannot be one. A token is
    at least 22 characters, a code 8 (9 with its dash), so a key is never taken for both."""
    key = key.strip()
    if not key or len(key) > 100:
        return None, None
    code = normalise_code(key) if len(key) <= 12 else None
    if code is not None:
        return None, code_hash(code)
    return (token_hash(key) if len(key) >= 22 else None), None
