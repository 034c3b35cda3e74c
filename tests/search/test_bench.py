"""The bench's figures are the measured process's own."""

import multiprocessing

from bot.search.bench import peak_rss_mb


def test_a_spawned_measurement_reports_its_own_peak_memory_not_the_parents() -> None:
    # The in-process search is benchmarked in a spawned child so that its peak memory is the search's alone; the
    # kernel's `ru_maxrss` carries the parent's peak across the child's exec, which once printed the library
    # builder's 2.9 GB as the search's.
    ballast = bytearray(600 << 20)
    ballast[:: 1 << 12] = b"\1" * len(range(0, len(ballast), 1 << 12))  # touched, so resident
    parent = peak_rss_mb()
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        child = pool.apply(peak_rss_mb)
    assert parent > 600
    assert child < parent - 500, f"the child reported {child:.0f} MB beside the parent's {parent:.0f} MB"
    del ballast
