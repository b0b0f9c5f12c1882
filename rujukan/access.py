"""Who may change what (issue 13 §1): a signed-in person's role from configuration.

Sign-in itself is Streamlit's `st.login` (OpenID Connect, configured in .streamlit/secrets.toml);
this module only reads the claims it gives (`email`, and a `groups` list where the provider sends
one) against RUJUKAN_CURATORS and RUJUKAN_ADMINS: comma-separated e-mail addresses, or
`group:NAME` for everyone in a group. An admin is also a curator. Visitors never sign in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

CURATOR, ADMIN = "curator", "admin"


def parse_members(text: str) -> tuple[str, ...]:
    """'ani@x.id, group:kurator' -> ('ani@x.id', 'group:kurator'), lower-cased, blanks dropped."""
    return tuple(part.strip().lower() for part in (text or "").split(",") if part.strip())


def _matches(claims: Mapping[str, Any], members: Iterable[str]) -> bool:
    email = str(claims.get("email") or "").strip().lower()
    groups = claims.get("groups") or []
    groups = {str(g).strip().lower() for g in (groups if isinstance(groups, list | tuple) else [groups])}
    for member in members:
        if member.startswith("group:"):
            if member[len("group:"):] in groups:
                return True
        elif email and member == email:
            return True
    return False


def role_of(claims: Mapping[str, Any], curators: Iterable[str], admins: Iterable[str]) -> str | None:
    """ADMIN, CURATOR, or None for a signed-in person who may only read."""
    if _matches(claims, admins):
        return ADMIN
    if _matches(claims, curators):
        return CURATOR
    return None
