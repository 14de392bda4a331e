"""``partnerkit serve --room N``: pools sized by the rule, a room too big refused, limits."""

from __future__ import annotations

import math

import pytest

from partnerkit import catalog
from partnerkit.errors import ServeError
from partnerkit.serve.room import (
    KERNEL_MIB,
    ROOM_SHARE,
    RoomLimits,
    check_limits,
    memory_verdict,
    needed_mib,
    page_limit,
    pool_kernels,
    room_pools,
)
from tests.serve.test_options import assert_one_line_error, serve


def test_a_room_gives_every_workbook_a_third_of_the_room_and_named_pools_win():
    pools = room_pools(30, 1, {"mapping_tool.ipynb": 30})
    assert pools["mapping_tool.ipynb"] == 30
    others = {name: size for name, size in pools.items() if name != "mapping_tool.ipynb"}
    assert set(others) == {w.filename for w in catalog.available()} - {"mapping_tool.ipynb"}
    assert set(others.values()) == {math.ceil(30 / ROOM_SHARE)}
    assert room_pools(0, 1, {"x.ipynb": 2}) == {"x.ipynb": 2}, "no room: pools as given"
    assert set(room_pools(2, 3, {}).values()) == {3}, "never below the --pool default"


def test_the_memory_a_room_needs_counts_its_pools_and_a_page_for_each_person():
    pools = room_pools(30, 1, {})
    assert pool_kernels(1, pools) == len(catalog.available()) * 10
    assert needed_mib(1, pools, 30) == (pool_kernels(1, pools) + 30) * KERNEL_MIB + 400


def test_a_room_bigger_than_the_memory_is_refused_with_the_memory_it_needs():
    with pytest.raises(ServeError) as refused:
        memory_verdict(needed=40_000, available=20_000, room=100)
    message = str(refused.value)
    assert "39.1 GiB" in message and "19.5 GiB" in message and "--room" in message
    assert "smaller --room" in message
    warning = memory_verdict(needed=18_000, available=20_000, room=30)
    assert warning and "a room of 30 needs about 17.6 GiB" in warning
    assert memory_verdict(needed=1_000, available=20_000, room=30) is None


@pytest.mark.parametrize("limits, where", [
    (RoomLimits(room=-1), "--room"), (RoomLimits(room=1000), "--room"),
    (RoomLimits(cull_minutes=0), "--cull-minutes"),
    (RoomLimits(pages_per_person=0), "--max-pages-per-person"),
    (RoomLimits(pages=-3), "--max-pages")])
def test_limits_out_of_range_are_refused_naming_the_option(limits, where):
    with pytest.raises(ServeError) as refused:
        check_limits(limits)
    assert where in str(refused.value)


def test_the_page_limit_is_what_was_asked_or_what_the_memory_holds():
    assert page_limit(RoomLimits(pages=12), 100_000) == 12
    assert page_limit(RoomLimits(), 400 + 10 * KERNEL_MIB) == 10


def test_the_command_refuses_a_room_the_machine_cannot_hold(tmp_path):
    from partnerkit.demo import create_demo

    create_demo(data=tmp_path / "data")
    result = serve("--room", "200", "--data", str(tmp_path / "data"), data=tmp_path / "data")
    assert_one_line_error(result, "--room", "GiB of memory", "this machine has")
