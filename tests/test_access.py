"""Roles from configuration (issue 13 §1): e-mail addresses and group:NAME, admins above curators."""

from __future__ import annotations

from rujukan.access import ADMIN, CURATOR, parse_members, role_of
from rujukan.config import Settings


def test_members_are_read_from_a_comma_list():
    assert parse_members(" Ani@Kota.go.id, group:Diskominfo ,, ") == ("ani@kota.go.id", "group:diskominfo")
    settings = Settings.from_env({"RUJUKAN_CURATORS": "ani@kota.go.id", "RUJUKAN_ADMINS": "group:admin"})
    assert (settings.curators, settings.admins) == (("ani@kota.go.id",), ("group:admin",))


def test_a_role_comes_from_the_email_or_a_group_claim():
    curators, admins = ("ani@kota.go.id", "group:diskominfo"), ("group:kominfo-pusat",)
    assert role_of({"email": "ANI@kota.go.id"}, curators, admins) == CURATOR
    assert role_of({"email": "x@y.id", "groups": ["Diskominfo"]}, curators, admins) == CURATOR
    assert role_of({"email": "x@y.id", "groups": ["kominfo-pusat", "diskominfo"]}, curators, admins) == ADMIN
    assert role_of({"email": "x@y.id", "groups": "diskominfo"}, curators, admins) == CURATOR  # one group, not a list
    assert role_of({"email": "budi@contoh.id"}, curators, admins) is None
    assert role_of({"sub": "ani@kota.go.id"}, curators, admins) is None  # only the e-mail claim counts, not the subject
    assert role_of({"email": ""}, ("",), ()) is None
