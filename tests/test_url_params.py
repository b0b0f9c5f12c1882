"""Bad URL parameters (issue 14 §6): a value a page cannot use is named in a visible notice and the
page goes on with its default; a number out of range is clamped and said to be."""

from __future__ import annotations

import pytest

from conftest import open_page

pytestmark = pytest.mark.model  # the app opens on Beranda, which prepares the search engine


def warnings(at) -> str:
    return "\n".join(w.value for w in at.warning).replace("\\", "")


@pytest.mark.parametrize("page, params, named", [
    ("views/bandingkan.py", {"focus": "99999"}, "focus=99999"),
    ("views/bandingkan.py", {"ref": "abc"}, "ref=abc"),
    ("views/bandingkan.py", {"ind": "garbage,ipm"}, "ind=garbage"),
    ("views/bandingkan.py", {"peers": "zzz,3329"}, "peers=zzz"),
    ("views/bandingkan.py", {"k": "lima"}, "k=lima"),
    ("views/bandingkan.py", {"tab": "Kartu"}, "tab=Kartu"),
    ("views/penilaian.py", {"region": "abcd"}, "region=abcd"),
    ("views/perjalanan.py", {"focus": "99999"}, "focus=99999"),
    ("views/praktik.py", {"practice": "prodamas-plus", "focus": "0000"}, "focus=0000"),
    ("views/brief.py", {"region": "3328", "practices": "nope,prodamas-plus"}, "practices=nope"),
    ("views/cari.py", {"dim": "nonsense"}, "dim=nonsense"),
    ("views/cari.py", {"ref": "9999"}, "ref=9999"),  # reference regions: only regions with a record
    ("views/tanya.py", {"ref": "3328"}, "ref=3328"),
    (None, {"lang": "XX"}, "lang=XX"),
])
def test_a_value_a_page_cannot_use_is_named_not_dropped(app_env, page, params, named):
    at = open_page(page, 300, **params)
    assert named in warnings(at) and not at.exception


def test_known_values_beside_a_bad_one_are_kept(app_env):
    at = open_page("views/bandingkan.py", 300, ind="garbage,ipm", peers="zzz,3329")
    assert at.multiselect(key="ind_box").value == ["ipm"] and at.multiselect(key="peer_box").value == ["3329"]


def test_a_peer_count_out_of_range_is_clamped_and_said(app_env):
    at = open_page("views/bandingkan.py", 300, k="999")
    assert at.slider(key="k_box").value == 10 and len(at.dataframe[0].value) == 10
    assert "k=999" in warnings(at) and "dipakai 10" in warnings(at)
    at = open_page("views/bandingkan.py", 300, k="3")
    assert "k=" not in warnings(at)  # a good value gives no notice
